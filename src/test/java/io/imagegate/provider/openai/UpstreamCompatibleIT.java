package io.imagegate.provider.openai;

import static io.imagegate.testing.Answers.assertEventStream;
import static io.imagegate.testing.Answers.assertOk;
import static io.imagegate.testing.Answers.b64;
import static io.imagegate.testing.ImageInputs.dataUrl;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.Multipart;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An OpenAI-compatible server over real HTTP: a base URL with a path prefix, and an optional key. */
class UpstreamCompatibleIT {
  static final String KEY = "sk-compatible-secret-abcdef123456";

  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        localai: {provider: openai-compatible, base_url: "{{localai}}/proxy/openai/v1", model: sd-turbo}
        other-gateway:
          provider: openai-compatible
          base_url: "{{other}}/gw/"
          api_key: %s
      routes:
        gpt-image-2:
          deployments: [localai]
        gpt-image-1:
          deployments: [other-gateway]
      retry:
        max_attempts: 1
      circuit_breaker:
        failure_threshold: 1000
      """.formatted(KEY));
  private static final FakeUpstream keyless = GATEWAY.upstream("localai"), keyed = GATEWAY.upstream("other");

  @Test
  void generate_compatibleWithPathPrefixAndNoKey_postsUnderThePrefixWithoutAuthorization() {
    byte[] drawn = TestImages.png(12, 12);
    keyless.enqueue(UpstreamReplies.image(drawn));

    Http.Answer answer = generateLamp("");

    assertOk(answer);
    assertThat(answer.header("x-imagegate-provider")).isEqualTo("openai-compatible");
    assertThat(answer.header("x-imagegate-deployment")).isEqualTo("localai");
    assertThat(b64(answer.json(), 0)).isEqualTo(drawn);
    FakeUpstream.Call call = keyless.take();
    assertThat(call.path()).isEqualTo("/proxy/openai/v1/images/generations");
    assertThat(call.header("Authorization")).isNull();
    assertThat(call.header("api-key")).isNull();
    assertThat(call.json().get("model").asText()).isEqualTo("sd-turbo");
  }

  @Test
  void edit_compatibleWithPathPrefix_postsMultipartUnderThePrefix() {
    byte[] input = TestImages.png(64, 64);
    keyless.enqueue(UpstreamReplies.image(TestImages.png(12, 12)));

    Http.Answer answer = GATEWAY.post("/v1/images/edits",
        "{\"prompt\":\"a lamp\",\"size\":\"1024x1024\",\"quality\":\"low\",\"image\":\""
            + dataUrl(input, "image/png") + "\"}");

    assertOk(answer);
    FakeUpstream.Call call = keyless.take();
    assertThat(call.path()).isEqualTo("/proxy/openai/v1/images/edits");
    assertThat(call.header("Authorization")).isNull();
    Multipart parts = call.parts();
    assertThat(parts.text("model")).isEqualTo("sd-turbo");
    assertThat(parts.named("image[]")).singleElement().satisfies(p -> assertThat(p.data()).isEqualTo(input));
  }

  @Test
  void generate_compatibleWithKey_sendsBearerAndThePublicModelId() {
    keyed.enqueue(UpstreamReplies.image(TestImages.png(12, 12)));

    Http.Answer answer = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"gpt-image-1\",\"prompt\":\"a lamp\",\"size\":\"1024x1024\",\"quality\":\"low\"}");

    assertOk(answer);
    FakeUpstream.Call call = keyed.take();
    assertThat(call.path()).isEqualTo("/gw/v1/images/generations");
    assertThat(call.header("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(call.json().get("model").asText()).isEqualTo("gpt-image-1");
  }

  @Test
  void generate_streamOnCompatibleWithoutStreaming_asksPlainJsonAndEmitsCompletedEvents() {
    byte[] drawn = TestImages.png(12, 12);
    keyless.enqueue(UpstreamReplies.image(drawn));

    Http.Answer answer = generateLamp(",\"stream\":true");

    String text = assertEventStream(answer);
    assertThat(text).startsWith("event: image_generation.completed\ndata: ");
    var event = Http.json(text.substring(text.indexOf("data: ") + 6).trim());
    assertThat(event.get("type").asText()).isEqualTo("image_generation.completed");
    assertThat(Base64.getDecoder().decode(event.get("b64_json").asText())).isEqualTo(drawn);
    FakeUpstream.Call call = keyless.take();
    assertThat(call.json().has("stream")).as("stream sent to a deployment without streaming").isFalse();
    assertThat(call.header("Accept")).isEqualTo("application/json");
  }

  /** A lamp without a model (so the default route), with these further JSON fields. */
  private static Http.Answer generateLamp(String moreFields) {
    return GATEWAY.post("/v1/images/generations",
        "{\"prompt\":\"a lamp\",\"size\":\"1024x1024\",\"quality\":\"low\"" + moreFields + "}");
  }
}
