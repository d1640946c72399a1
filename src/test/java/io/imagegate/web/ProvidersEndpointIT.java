package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

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
 * {@code GET /admin/providers} after real upstream calls: each deployment's routes, circuit state, attempts,
 * success rate and latency, and its last error with anything key-like masked.
 */
class ProvidersEndpointIT {
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        main: {provider: openai, base_url: "{{main}}", api_key: sk-providers-upstream-key, priority: 0}
        spare: {provider: openai, base_url: "{{spare}}", api_key: sk-providers-upstream-key, priority: 1, max_concurrent: 7}
      routes:
        gpt-image-2: {deployments: [main, spare]}
      retry:
        max_attempts: 1
      circuit_breaker:
        failure_threshold: 1
        cool_down_seconds: 600
      """);
  private static final FakeUpstream main = GATEWAY.upstream("main"), spare = GATEWAY.upstream("spare");

  @Test
  void aFailureThenAFallback_showInEachDeploymentsState() {
    JsonNode before = deployments();
    assertThat(before.get(0).get("attempts").asLong()).isZero();
    assertThat(before.get(0).get("success_rate").isNull()).isTrue();
    assertThat(before.get(0).get("last_error").isNull()).isTrue();

    main.enqueue(UpstreamReplies.error(500, "server_error", null,
        "Incorrect API key provided: sk-proj-abcdefghijklmnop1234. token=hunter2hunter2 and more"));
    spare.enqueue(UpstreamReplies.image(TestImages.png(8, 8)), UpstreamReplies.image(TestImages.png(8, 8)));
    assertThat(GATEWAY.post("/v1/images/generations", "{\"prompt\":\"a kite\"}").status()).isEqualTo(200);
    assertThat(GATEWAY.post("/v1/images/generations", "{\"prompt\":\"a kite\"}").status()).isEqualTo(200);

    JsonNode after = deployments();
    JsonNode m = after.get(0), s = after.get(1);
    assertThat(m.get("deployment").asText()).isEqualTo("main");
    assertThat(m.get("provider").asText()).isEqualTo("openai");
    assertThat(m.get("routes").get(0).asText()).isEqualTo("gpt-image-2");
    assertThat(m.get("circuit").asText()).isEqualTo("open");
    assertThat(m.get("attempts").asLong()).as("the open circuit kept the second call away").isEqualTo(1);
    assertThat(m.get("failures").asLong()).isEqualTo(1);
    assertThat(m.get("success_rate").asDouble()).isZero();
    assertThat(m.get("max_concurrent").isNull()).isTrue();
    String message = m.at("/last_error/message").asText();
    assertThat(m.at("/last_error/status").asText()).isEqualTo("500");
    assertThat(message).contains("Incorrect API key provided").doesNotContain("abcdefghijklmnop1234")
        .doesNotContain("hunter2");
    assertThat(m.at("/last_error/at").asLong()).isGreaterThan(1_700_000_000L);
    assertThat(s.get("circuit").asText()).isEqualTo("closed");
    assertThat(s.get("attempts").asLong()).isEqualTo(2);
    assertThat(s.get("success_rate").asDouble()).isEqualTo(1.0);
    assertThat(s.get("max_concurrent").asInt()).isEqualTo(7);
    assertThat(s.at("/latency_ms/p50").asDouble()).isPositive();
    assertThat(s.at("/latency_ms/p95").asDouble()).isGreaterThanOrEqualTo(s.at("/latency_ms/p50").asDouble());
    assertThat(s.get("last_error").isNull()).isTrue();
  }

  @Test
  void onlyAdminsMaySeeIt() {
    assertThat(Http.get(GATEWAY.url("/admin/providers"), null).status()).isEqualTo(401);
    String plain = GATEWAY.post("/admin/keys", "{\"name\":\"plain\"}").json().get("secret").asText();
    assertThat(Http.get(GATEWAY.url("/admin/providers"), plain).status()).isEqualTo(403);
  }

  private static JsonNode deployments() {
    Http.Answer a = Http.get(GATEWAY.url("/admin/providers"), RunningGateway.MASTER_KEY);
    assertThat(a.status()).isEqualTo(200);
    return a.json().get("data");
  }
}
