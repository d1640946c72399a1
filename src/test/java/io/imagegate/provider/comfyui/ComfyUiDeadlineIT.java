package io.imagegate.provider.comfyui;

import static io.imagegate.testing.Answers.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import java.util.ArrayList;
import java.util.List;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A ComfyUI prompt that has not ended by the request's total deadline: a 504, and the prompt interrupted. */
class ComfyUiDeadlineIT {
  private static final FakeComfyUi box = new FakeComfyUi();

  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        comfy: {provider: comfyui, base_url: "%s", workflow: "%s", poll_interval_ms: 100,
          nodes: {prompt: {node: "6", input: text}, output: {node: "9"}}}
      routes:
        sd15: {deployments: [comfy], rules: gpt-image-2}
      retry: {max_attempts: 3, base_delay_ms: 10, max_delay_ms: 100, total_deadline_seconds: 2}
      circuit_breaker: {failure_threshold: 1000}
      """.formatted(box.baseUrl(), ComfyUiWorkflowTest.resource("txt2img.json")));

  @AfterAll
  static void close() { box.close(); }

  @Test
  void promptStillRunningAtTheDeadline_is504AndTheRunningPromptIsInterrupted() throws Exception {
    box.on("POST /prompt", FakeComfyUi.json(200, "{\"prompt_id\":\"slow\",\"number\":1,\"node_errors\":{}}"))
        .on("GET /history", FakeComfyUi.json(200, "{}"))
        .on("GET /queue", FakeComfyUi.json(200, "{\"queue_running\":[[1,\"slow\",{},{},[\"9\"]]],\"queue_pending\":[]}"))
        .on("POST /interrupt", FakeComfyUi.json(200, "{}"));

    long started = System.nanoTime();
    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"sd15\",\"prompt\":\"x\"}");
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertError(answer, 504, "upstream_error", "upstream_timeout");
    assertThat(tookMs).as("given up at the 2 s deadline").isBetween(1_900L, 3_500L);
    assertThat(box.take().getPath()).isEqualTo("/prompt");
    List<RecordedRequest> after = new ArrayList<>();
    int polls = box.skipPolls(after);
    assertThat(polls).as("polled every 100 ms meanwhile").isBetween(10, 22);
    assertThat(FakeComfyUi.route(after.get(0))).isEqualTo("GET /queue");
    RecordedRequest interrupt = box.take();
    assertThat(FakeComfyUi.route(interrupt)).isEqualTo("POST /interrupt");
    assertThat(new ObjectMapper().readTree(interrupt.getBody().readUtf8()).get("prompt_id").asText()).isEqualTo("slow");
    assertThat(box.calls()).as("no second prompt after the deadline").isZero();
  }
}
