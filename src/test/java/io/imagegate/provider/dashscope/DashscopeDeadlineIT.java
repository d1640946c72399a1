package io.imagegate.provider.dashscope;

import static io.imagegate.testing.Answers.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A DashScope async task within the gateway's one total deadline (2 s here): a task that stays RUNNING is
 * given up at the deadline as a 504 {@code upstream_timeout}, no new task is submitted after it, and nothing
 * is charged.
 */
class DashscopeDeadlineIT {
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        task: {provider: dashscope, base_url: "{{task}}", api_key: %s, api: async, poll_interval_ms: 100}
      routes:
        qwen-running: {deployments: [task], rules: qwen-image-plus}
      retry: {max_attempts: 3, base_delay_ms: 10, max_delay_ms: 100, total_deadline_seconds: 2}
      circuit_breaker: {failure_threshold: 1000}
      """.formatted(DashscopeProviderIT.KEY));
  private static final FakeUpstream task = GATEWAY.upstream("task");

  @Test
  void generate_taskStillRunningAtTheDeadline_is504AndNothingCharged() {
    task.enqueue(DashscopeReplies.submitted("r1"));
    for (int i = 0; i < 60; i++) task.enqueue(DashscopeReplies.status("r1", "RUNNING"));

    long started = System.nanoTime();
    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"qwen-running\",\"prompt\":\"x\"}");
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(assertError(answer, 504, "upstream_error", "upstream_timeout")).contains("deadline ran out");
    assertThat(tookMs).as("given up at the 2 s deadline").isBetween(1_900L, 3_500L);
    long submits = task.calls().stream().filter(c -> c.request().getMethod().equals("POST")).count();
    assertThat(submits).as("no new task after the deadline").isEqualTo(1);
    assertThat(task.callCount()).as("polled every 100 ms meanwhile").isBetween(8, 22);
    JsonNode usage = Http.get(GATEWAY.url("/admin/usage?group_by=model"), RunningGateway.MASTER_KEY).json();
    for (JsonNode r : usage.get("data")) {
      if (r.get("group").asText().equals("qwen-running")) assertThat(r.get("cost_usd").asDouble()).isZero();
    }
  }
}
