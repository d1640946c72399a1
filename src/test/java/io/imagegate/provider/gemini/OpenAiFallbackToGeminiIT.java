package io.imagegate.provider.gemini;

import static io.imagegate.testing.Answers.assertOk;
import static io.imagegate.testing.Answers.b64;
import static io.imagegate.testing.Answers.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A gpt-image-2 route with an OpenAI deployment first and a Gemini one as its fallback: the client keeps
 * OpenAI's shape whichever answered, and a request Gemini cannot honour never falls back to it.
 */
class OpenAiFallbackToGeminiIT {
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        oai: {provider: openai, base_url: "{{oai}}", api_key: sk-fallback-openai-key-0123456789, priority: 0}
        gem: {provider: gemini, base_url: "{{gem}}", api_key: %s, model: gemini-2.5-flash-image, priority: 1}
      routes:
        gpt-image-2: {deployments: [oai, gem]}
      retry: {max_attempts: 2, base_delay_ms: 10, max_delay_ms: 500, total_deadline_seconds: 30}
      circuit_breaker: {failure_threshold: 1000}
      """.formatted(GeminiProviderIT.KEY));
  private static final FakeUpstream oai = GATEWAY.upstream("oai"), gem = GATEWAY.upstream("gem");

  @Test
  void generate_openAi503_isAnsweredByGeminiInOpenAisShape() {
    oai.enqueue(UpstreamReplies.error(503, "server_error", null, "Overloaded."),
        UpstreamReplies.error(503, "server_error", null, "Overloaded."));
    byte[] drawn = TestImages.png(1024, 1536);
    gem.enqueue(GeminiReplies.image(drawn));

    Http.Answer answer = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"gpt-image-2\",\"prompt\":\"a tall tower\",\"size\":\"1024x1536\"}");

    assertOk(answer);
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("oai:503,oai:503,gem:200");
    assertThat(answer.header("x-imagegate-provider")).isEqualTo("gemini");
    assertThat(answer.header("x-imagegate-deployment")).isEqualTo("gem");
    JsonNode json = answer.json();
    assertThat(fieldNames(json)).contains("created", "data", "size", "quality", "background", "output_format", "usage");
    assertThat(fieldNames(json.at("/data/0"))).containsExactly("b64_json");
    assertThat(b64(json, 0)).isEqualTo(drawn);
    assertThat(json.get("size").asText()).isEqualTo("1024x1536");
    assertThat(json.at("/usage/output_tokens").asLong()).isEqualTo(1290);
    FakeUpstream.Call call = gem.take();
    assertThat(call.path()).as("the deployment's model, not the route's").isEqualTo(
        "/v1beta/models/gemini-2.5-flash-image:generateContent");
    assertThat(call.json().at("/generationConfig/imageConfig/aspectRatio").asText()).isEqualTo("2:3");
    JsonNode usage = Http.get(GATEWAY.url("/admin/usage?group_by=model"), RunningGateway.MASTER_KEY).json();
    assertThat(usage.at("/data/0/group").asText()).isEqualTo("gpt-image-2");
    assertThat(usage.at("/data/0/cost_usd").asDouble()).as("priced as the Gemini model that answered, not gpt-image-2")
        .isCloseTo((13 * 0.30 + 258 * 0.30 + 1290 * 30) / 1_000_000.0, within(1e-9));
  }

  @Test
  void generate_fieldGeminiCannotHonour_neverFallsBackToIt() {
    oai.enqueue(UpstreamReplies.error(503, "server_error", null, "Overloaded."),
        UpstreamReplies.error(503, "server_error", null, "Overloaded."));

    Http.Answer answer = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"gpt-image-2\",\"prompt\":\"a tower\",\"size\":\"1024x1024\",\"background\":\"transparent\"}");

    assertThat(answer.status()).isEqualTo(502);
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("oai:503,oai:503");
    assertThat(gem.callCount()).isZero();
  }
}
