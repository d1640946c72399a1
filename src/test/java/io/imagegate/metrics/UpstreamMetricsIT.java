package io.imagegate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The upstream side of {@code /metrics}: every try counted as first, retry or fallback with its outcome and
 * duration; a deployment's circuit state; idempotent replays; and the request itself once, with the deployment
 * that answered.
 */
class UpstreamMetricsIT {
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        main: {provider: openai, base_url: "{{main}}", api_key: sk-upstream-metrics, priority: 0}
        spare: {provider: openai, base_url: "{{spare}}", api_key: sk-upstream-metrics, priority: 1}
        streaming: {provider: openai, base_url: "{{streaming}}", api_key: sk-upstream-metrics}
      routes:
        gpt-image-2: {deployments: [main, spare]}
        stream: {deployments: [streaming], rules: gpt-image-2}
      retry:
        max_attempts: 2
        base_delay_ms: 10
        max_delay_ms: 20
      circuit_breaker:
        failure_threshold: 2
        cool_down_seconds: 600
      """);
  private static final FakeUpstream main = GATEWAY.upstream("main"), spare = GATEWAY.upstream("spare"),
      streaming = GATEWAY.upstream("streaming");

  @Test
  void aRelayedStream_hasItsTimeToTheFirstPartialImage() throws Exception {
    String pixels = java.util.Base64.getEncoder().encodeToString(TestImages.png(8, 8));
    String facts = "\"created_at\":1776847985,\"size\":\"1024x1024\",\"quality\":\"low\",\"background\":\"opaque\","
        + "\"output_format\":\"png\"";
    streaming.enqueue(UpstreamReplies.sse(UpstreamReplies.frame("image_generation.partial_image",
        "{\"type\":\"image_generation.partial_image\",\"b64_json\":\"" + pixels + "\"," + facts + ",\"partial_image_index\":0}")
        + UpstreamReplies.frame("image_generation.completed", "{\"type\":\"image_generation.completed\",\"b64_json\":\""
            + pixels + "\"," + facts + ",\"usage\":" + UpstreamReplies.USAGE + "}")));
    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"stream\",\"prompt\":\"a kite\","
        + "\"stream\":true,\"partial_images\":1}");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(scrape()).contains("imagegate_time_to_first_partial_seconds_count{model=\"stream\",provider=\"openai\"} 1");
  }

  @Test
  void aRetryThenAFallback_areCountedPerTry_theCircuitOpens_andAReplayIsCounted() throws Exception {
    main.enqueue(UpstreamReplies.error(500, "server_error", null, "boom"),
        UpstreamReplies.error(503, "server_error", null, "still boom"));
    spare.enqueue(UpstreamReplies.image(TestImages.png(8, 8)));
    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"prompt\":\"a kite\"}");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("main:500,main:503,spare:200");

    String text = scrape();
    assertThat(text).contains("imagegate_upstream_requests_total{attempt=\"first\",deployment=\"main\",model=\"gpt-image-2\","
        + "outcome=\"500\",provider=\"openai\"} 1.0");
    assertThat(text).contains("imagegate_upstream_requests_total{attempt=\"retry\",deployment=\"main\",model=\"gpt-image-2\","
        + "outcome=\"503\",provider=\"openai\"} 1.0");
    assertThat(text).contains("imagegate_upstream_requests_total{attempt=\"fallback\",deployment=\"spare\","
        + "model=\"gpt-image-2\",outcome=\"200\",provider=\"openai\"} 1.0");
    assertThat(text).containsPattern("imagegate_upstream_duration_seconds_count\\{deployment=\"main\",model=\"gpt-image-2\","
        + "outcome=\"error\",provider=\"openai\"} 2");
    // two failures in a row open main's circuit; spare's stays closed
    assertThat(text).contains("imagegate_circuit_state{deployment=\"main\",provider=\"openai\"} 2.0");
    assertThat(text).contains("imagegate_circuit_state{deployment=\"spare\",provider=\"openai\"} 0.0");
    // the request itself: once, with the deployment that answered
    assertThat(text).contains("imagegate_requests_total{deployment=\"spare\",error_type=\"none\",model=\"gpt-image-2\","
        + "operation=\"image_generation\",provider=\"openai\",status=\"200\"} 1.0");

    spare.enqueue(UpstreamReplies.image(TestImages.png(8, 8)));
    for (int i = 0; i < 2; i++) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(GATEWAY.url("/v1/images/generations")))
          .header("Authorization", "Bearer " + RunningGateway.MASTER_KEY).header("Content-Type", "application/json")
          .header("Idempotency-Key", "metrics-replay-1").POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"a boat\"}"))
          .build();
      try (HttpClient client = HttpClient.newHttpClient()) {
        assertThat(client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      }
    }
    assertThat(scrape()).contains("imagegate_idempotency_total{result=\"replayed\"} 1.0");
  }

  private static String scrape() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(GATEWAY.url("/metrics")))
        .header("Authorization", "Bearer " + RunningGateway.MASTER_KEY).GET().build();
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      return r.body();
    }
  }
}
