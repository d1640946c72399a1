package io.imagegate.provider.bfl;

import static io.imagegate.testing.Answers.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A BFL task within the gateway's one total deadline (2 s here): a task that stays Pending, and a result
 * file that is still arriving, are given up at the deadline as a 504 {@code upstream_timeout}, no new task
 * is submitted after it, and nothing is charged.
 */
class BflDeadlineIT {
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        bfl: {provider: bfl, base_url: "{{bfl}}", api_key: %s, poll_interval_ms: 100}
      routes:
        flux-pending: {deployments: [bfl], rules: flux-pro-1.1}
        flux-slow-file: {deployments: [bfl], rules: flux-pro-1.1}
      retry: {max_attempts: 3, base_delay_ms: 10, max_delay_ms: 100, total_deadline_seconds: 2}
      circuit_breaker: {failure_threshold: 1000}
      """.formatted(BflProviderIT.KEY));
  private static final FakeUpstream bfl = GATEWAY.upstream("bfl"), cdn = GATEWAY.upstream("cdn");

  @Test
  void generate_taskNeverReadyWithinTheDeadline_is504AndNothingCharged() {
    bfl.enqueue(BflReplies.submitted(bfl, "p1"));
    for (int i = 0; i < 60; i++) bfl.enqueue(BflReplies.pending("p1"));

    long started = System.nanoTime();
    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"flux-pending\",\"prompt\":\"x\"}");
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    // the deadline comes during a wait between polls or during a poll itself, as the machine's load has it
    assertThat(assertError(answer, 504, "upstream_error", "upstream_timeout")).contains("deadline ran out");
    assertThat(tookMs).as("given up at the 2 s deadline").isBetween(1_900L, 3_500L);
    long submits = bfl.calls().stream().filter(c -> c.request().getMethod().equals("POST")).count();
    assertThat(submits).as("no new task after the deadline").isEqualTo(1);
    assertThat(bfl.callCount()).as("polled every 100 ms meanwhile").isBetween(10, 22);
    assertNothingCharged("flux-pending");
  }

  @Test
  void generate_resultFileStillArrivingAtTheDeadline_is504AndNothingCharged() {
    cdn.enqueue(new MockResponse().setHeadersDelay(20, TimeUnit.SECONDS).setBody("late"));
    bfl.enqueue(BflReplies.submitted(bfl, "s1"), BflReplies.ready("s1", cdn.url("/results/s1/sample.png")));

    long started = System.nanoTime();
    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"flux-slow-file\",\"prompt\":\"x\"}");
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(assertError(answer, 504, "upstream_error", "upstream_timeout")).contains("downloading");
    assertThat(tookMs).as("the download is cut at the deadline, not at the fetcher's 30 s").isBetween(1_900L, 3_500L);
    assertThat(bfl.callCount()).isEqualTo(2);
    assertNothingCharged("flux-slow-file");
  }

  private static void assertNothingCharged(String route) {
    JsonNode usage = Http.get(GATEWAY.url("/admin/usage?group_by=model"), RunningGateway.MASTER_KEY).json();
    for (JsonNode r : usage.get("data")) {
      if (!r.get("group").asText().equals(route)) continue;
      assertThat(r.get("images").asLong()).as(r.toString()).isZero();
      assertThat(r.get("cost_usd").asDouble()).as(r.toString()).isZero();
    }
  }
}
