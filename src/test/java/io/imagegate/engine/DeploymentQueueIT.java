package io.imagegate.engine;

import static io.imagegate.testing.Answers.assertError;
import static io.imagegate.testing.Answers.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A slow box with {@code max_concurrent: 1} and a wait queue ({@code max_queue}), as a GPU server is run: calls
 * wait their turn in the order they came and are all answered; a full queue sends the overflow to the next tier,
 * or, with none, answers 503 with Retry-After at once; the providers view shows the queue.
 */
class DeploymentQueueIT {
  private static final String KEY = "sk-queue-upstream-key-000000000001";
  private static final int HOLD_MS = 250;

  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        gpu: {provider: openai, base_url: "{{gpu}}", api_key: %1$s, max_concurrent: 1, max_queue: 10}
        small: {provider: openai, base_url: "{{small}}", api_key: %1$s, max_concurrent: 1, max_queue: 2}
        spare: {provider: openai, base_url: "{{spare}}", api_key: %1$s, priority: 1}
        lone: {provider: openai, base_url: "{{lone}}", api_key: %1$s, max_concurrent: 1, max_queue: 1}
      routes:
        gpu: {deployments: [gpu], rules: gpt-image-2}
        tiered: {deployments: [small, spare], rules: gpt-image-2}
        lone: {deployments: [lone], rules: gpt-image-2}
      retry: {max_attempts: 1, total_deadline_seconds: 60, busy_wait_ms: 100}
      """.formatted(KEY));
  private static final FakeUpstream gpu = GATEWAY.upstream("gpu"), small = GATEWAY.upstream("small"),
      spare = GATEWAY.upstream("spare"), lone = GATEWAY.upstream("lone");

  private static MockResponse slowImage() {
    return UpstreamReplies.image(TestImages.png(8, 8)).setHeadersDelay(HOLD_MS, TimeUnit.MILLISECONDS);
  }

  private static CompletableFuture<Http.Answer> call(String model, int i) {
    return CompletableFuture.supplyAsync(() -> GATEWAY.post("/v1/images/generations",
        "{\"model\":\"" + model + "\",\"prompt\":\"call " + i + "\",\"size\":\"1024x1024\",\"quality\":\"low\"}"));
  }

  @Test
  void tenConcurrentCalls_onOneBusyBox_allAnswered_inTheOrderTheyCame() throws Exception {
    for (int i = 0; i < 10; i++) gpu.enqueue(slowImage());
    List<CompletableFuture<Http.Answer>> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      calls.add(call("gpu", i));
      Thread.sleep(120); // each reaches the queue before the next is sent
    }
    for (CompletableFuture<Http.Answer> c : calls) {
      Http.Answer a = c.get(60, TimeUnit.SECONDS);
      assertOk(a);
      assertThat(a.header("x-imagegate-deployment")).isEqualTo("gpu");
    }
    List<String> prompts = gpu.calls().stream().map(c -> c.json().get("prompt").asText()).toList();
    assertThat(prompts).containsExactly("call 0", "call 1", "call 2", "call 3", "call 4", "call 5", "call 6",
        "call 7", "call 8", "call 9");
    // one at a time: each call reached the box only after the previous one's answer began
    List<FakeUpstream.Call> seen = gpu.calls();
    for (int i = 1; i < seen.size(); i++) {
      long gapMs = (seen.get(i).arrivedNanos() - seen.get(i - 1).arrivedNanos()) / 1_000_000;
      assertThat(gapMs).as("call %d after call %d", i, i - 1).isGreaterThanOrEqualTo(HOLD_MS - 20);
    }
  }

  @Test
  void fullQueue_overflowGoesToTheNextTier() throws Exception {
    for (int i = 0; i < 3; i++) small.enqueue(slowImage().setHeadersDelay(1500, TimeUnit.MILLISECONDS));
    for (int i = 0; i < 2; i++) spare.enqueue(UpstreamReplies.image(TestImages.png(8, 8)));
    List<CompletableFuture<Http.Answer>> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) { // one in flight, two queued: the queue is full
      held.add(call("tiered", i));
      Thread.sleep(150);
    }
    for (int i = 0; i < 2; i++) {
      long start = System.nanoTime();
      Http.Answer overflow = GATEWAY.post("/v1/images/generations",
          "{\"model\":\"tiered\",\"prompt\":\"overflow\",\"size\":\"1024x1024\",\"quality\":\"low\"}");
      assertOk(overflow);
      assertThat(overflow.header("x-imagegate-deployment")).isEqualTo("spare");
      assertThat(overflow.header("x-imagegate-attempts")).isEqualTo("small:busy,spare:200");
      assertThat((System.nanoTime() - start) / 1_000_000).as("not after a wait").isLessThan(1200);
    }
    for (CompletableFuture<Http.Answer> c : held) {
      Http.Answer a = c.get(60, TimeUnit.SECONDS);
      assertOk(a);
      assertThat(a.header("x-imagegate-deployment")).as("the queued calls were not moved").isEqualTo("small");
    }
  }

  @Test
  void fullQueue_withNoOtherTier_isAQuick503WithRetryAfter_andTheProvidersViewShowsTheQueue() throws Exception {
    lone.enqueue(slowImage()); // a first call gives the box a median latency
    assertOk(call("lone", 0).get(30, TimeUnit.SECONDS));
    lone.enqueue(slowImage().setHeadersDelay(2000, TimeUnit.MILLISECONDS), slowImage());
    CompletableFuture<Http.Answer> inFlight = call("lone", 1);
    Thread.sleep(300);
    CompletableFuture<Http.Answer> queued = call("lone", 2);
    Thread.sleep(300);

    Http.Answer view = Http.get(GATEWAY.url("/admin/providers"), RunningGateway.MASTER_KEY);
    var box = java.util.stream.StreamSupport.stream(view.json().get("data").spliterator(), false)
        .filter(d -> d.get("deployment").asText().equals("lone")).findFirst().orElseThrow();
    assertThat(box.get("max_queue").asInt()).isEqualTo(1);
    assertThat(box.get("in_flight").asInt()).isEqualTo(1);
    assertThat(box.get("queued").asInt()).isEqualTo(1);

    long start = System.nanoTime();
    Http.Answer refused = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"lone\",\"prompt\":\"one too many\",\"size\":\"1024x1024\",\"quality\":\"low\"}");
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertError(refused, 503, "server_error", "deployments_busy");
    assertThat(refused.json().at("/error/message").asText()).contains("max_queue");
    assertThat(Integer.parseInt(refused.header("retry-after"))).isBetween(1, 60);
    assertThat(ms).as("at once: no busy_wait when a queue is full").isLessThan(1000);
    assertThat(refused.header("x-imagegate-attempts")).isEqualTo("lone:busy");

    assertOk(inFlight.get(30, TimeUnit.SECONDS));
    assertOk(queued.get(30, TimeUnit.SECONDS));
    assertThat(lone.callCount()).as("the refused call never reached the box").isEqualTo(3);
  }
}
