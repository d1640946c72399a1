package io.imagegate.provider.upstream;

import static io.imagegate.provider.upstream.UpstreamOpenAiIT.assertOk;
import static io.imagegate.provider.upstream.UpstreamOpenAiIT.b64;
import static io.imagegate.provider.upstream.UpstreamOpenAiIT.dataUrl;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayYaml;
import io.imagegate.testing.Http;
import io.imagegate.testing.Multipart;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An OpenAI-compatible server over real HTTP: a base URL with a path prefix, and an optional key. */
class UpstreamCompatibleIT {
  static final String KEY = "sk-compatible-secret-abcdef123456";

  private static FakeUpstream keyless;
  private static FakeUpstream keyed;
  private static RunningGateway gateway;

  @BeforeAll
  static void start() {
    keyless = new FakeUpstream();
    keyed = new FakeUpstream();
    gateway = GatewayYaml.start("""
        deployments:
          localai:
            provider: openai-compatible
            base_url: %s/proxy/openai/v1
            model: sd-turbo
          other-gateway:
            provider: openai-compatible
            base_url: %s/gw/
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
        """.formatted(keyless.baseUrl(), keyed.baseUrl(), KEY));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) gateway.close();
    if (keyless != null) keyless.close();
    if (keyed != null) keyed.close();
  }

  @BeforeEach
  void clean() {
    keyless.reset();
    keyed.reset();
  }

  @Test
  void generate_compatibleWithPathPrefixAndNoKey_postsUnderThePrefixWithoutAuthorization() {
    byte[] drawn = TestImages.png(12, 12);
    keyless.enqueue(UpstreamReplies.image(drawn));

    Http.Answer answer = Http.postJson(gateway.url("/v1/images/generations"), RunningGateway.MASTER_KEY,
        "{\"prompt\":\"a lamp\",\"size\":\"1024x1024\",\"quality\":\"low\"}");

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

    Http.Answer answer = Http.postJson(gateway.url("/v1/images/edits"), RunningGateway.MASTER_KEY,
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

    Http.Answer answer = Http.postJson(gateway.url("/v1/images/generations"), RunningGateway.MASTER_KEY,
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

    Http.Answer answer = Http.postJson(gateway.url("/v1/images/generations"), RunningGateway.MASTER_KEY,
        "{\"prompt\":\"a lamp\",\"size\":\"1024x1024\",\"quality\":\"low\",\"stream\":true}");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("content-type")).startsWith("text/event-stream");
    String text = new String(answer.raw().body(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(text).startsWith("event: image_generation.completed\ndata: ");
    var event = Http.json(text.substring(text.indexOf("data: ") + 6).trim());
    assertThat(event.get("type").asText()).isEqualTo("image_generation.completed");
    assertThat(java.util.Base64.getDecoder().decode(event.get("b64_json").asText())).isEqualTo(drawn);
    FakeUpstream.Call call = keyless.take();
    assertThat(call.json().has("stream")).as("stream sent to a deployment without streaming").isFalse();
    assertThat(call.header("Accept")).isEqualTo("application/json");
  }
}
