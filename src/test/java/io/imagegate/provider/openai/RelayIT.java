package io.imagegate.provider.openai;

import static io.imagegate.provider.openai.RoutingDefaults.KEY;
import static io.imagegate.testing.Answers.assertError;
import static io.imagegate.testing.Answers.assertOk;
import static io.imagegate.testing.Answers.b64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.HangingUpstream;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The data path over real HTTP: answers larger than one relay buffer go to the client as they arrive, a body
 * that breaks off after the answer began aborts the client's connection (never a complete-looking 200), the
 * upstream gets the validated values, and a deployment at its {@code max_concurrent} hands the call to the
 * next tier or answers a quick 503.
 */
class RelayIT {
  private static final String HELD_ANSWER = UpstreamReplies.imageBody(TestImages.png(8, 8), true);

  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        big: {provider: openai, base_url: "{{big}}", api_key: %1$s}
        cut: {provider: openai, base_url: "{{cut}}", api_key: %1$s}
        full: {provider: openai, base_url: "{{full}}", api_key: %1$s, max_concurrent: 1}
        spare: {provider: openai, base_url: "{{spare}}", api_key: %1$s, priority: 1}
        alone: {provider: openai, base_url: "{{alone}}", api_key: %1$s, max_concurrent: 1}
      routes:
        big: {deployments: [big], rules: gpt-image-2}
        cut: {deployments: [cut], rules: gpt-image-2}
        tiered: {deployments: [full, spare], rules: gpt-image-2}
        alone: {deployments: [alone], rules: gpt-image-2}
      retry: {max_attempts: 3, base_delay_ms: 10, max_delay_ms: 100, total_deadline_seconds: 30, busy_wait_ms: 300}
      circuit_breaker: {failure_threshold: 1000}
      """.formatted(KEY));
  private static final FakeUpstream big = GATEWAY.upstream("big"), cut = GATEWAY.upstream("cut"),
      spare = GATEWAY.upstream("spare");
  private static final HangingUpstream full = GATEWAY.hanging("full", HELD_ANSWER),
      alone = GATEWAY.hanging("alone", HELD_ANSWER);

  /** A PNG of noise: it does not compress, so its base64 spans many relay buffers. */
  private static byte[] noise(int side) {
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(side);
    for (int y = 0; y < side; y++) for (int x = 0; x < side; x++) img.setRGB(x, y, random.nextInt());
    return TestImages.encode(img, "png");
  }

  @Test
  void generate_answerLargerThanARelayBuffer_arrivesIntactWithTheUpstreamsUsage() {
    byte[] png = noise(400); // ~480 KB, ~640 KB of base64: about ten 64 KB buffers
    big.enqueue(UpstreamReplies.image(png));

    Http.Answer answer = GATEWAY.generate("big");

    assertOk(answer);
    assertThat(b64(answer.json(), 0)).isEqualTo(png);
    assertThat(answer.json().at("/usage/output_tokens").asLong()).isEqualTo(4242);
    assertThat(answer.json().get("size").asText()).isEqualTo("1024x1024");
    assertThat(answer.header("x-imagegate-deployment")).isEqualTo("big");
  }

  @Test
  void generate_answerWithoutSize_echoesTheSizeReadFromTheRelayedImage() {
    byte[] png = noise(300);
    big.enqueue(UpstreamReplies.json(200, "{\"created\":1,\"data\":[{\"b64_json\":\""
        + java.util.Base64.getEncoder().encodeToString(png) + "\"}]}"));

    Http.Answer answer = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"big\",\"prompt\":\"a cat\",\"size\":\"auto\",\"quality\":\"low\"}");

    assertOk(answer);
    assertThat(answer.json().get("size").asText()).isEqualTo("300x300");
    assertThat(b64(answer.json(), 0)).isEqualTo(png);
  }

  @Test
  void generate_upstreamBodyCutAfterTheAnswerBegan_abortsTheClientsConnectionAndChargesNothing() {
    cut.enqueue(UpstreamReplies.image(noise(400)).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create(GATEWAY.url("/v1/images/generations")))
        .header("Authorization", "Bearer " + RunningGateway.MASTER_KEY).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"cut\",\"prompt\":\"a cat\",\"quality\":\"low\"}"))
        .build();

    assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofByteArray()))
        .as("the client sees a broken answer, never a complete 200").isInstanceOf(java.io.IOException.class);
    assertThat(cut.callCount()).as("no retry once bytes went to the client").isEqualTo(1);
    var usage = Http.get(GATEWAY.url("/admin/usage?group_by=model"), RunningGateway.MASTER_KEY).json();
    com.fasterxml.jackson.databind.JsonNode row = null;
    for (var r : usage.get("data")) if (r.get("group").asText().equals("cut")) row = r;
    assertThat(row).as("the failed call has its ledger row").isNotNull();
    assertThat(row.get("images").asLong()).isZero();
    assertThat(row.get("cost_usd").asDouble()).as("nothing charged for the broken answer").isZero();
  }

  @Test
  void generate_largeAnswerBadInItsFirstBuffer_isRetriedBeforeAnyByteIsSent() {
    byte[] png = noise(400);
    String good = java.util.Base64.getEncoder().encodeToString(png);
    String bad = good.substring(0, 1000) + "!" + good.substring(1001); // not base64 within the first 64 KiB
    big.enqueue(UpstreamReplies.json(200, "{\"created\":1,\"data\":[{\"b64_json\":\"" + bad + "\"}]}"),
        UpstreamReplies.image(png));

    Http.Answer answer = GATEWAY.generate("big");

    assertOk(answer);
    assertThat(b64(answer.json(), 0)).isEqualTo(png);
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("big:retryable,big:200");
  }

  @Test
  void generate_upstreamReceivesTheValidatedSize_andASizeNotInItsExactFormNeverGoesUpstream() throws Exception {
    Http.Answer refused = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"big\",\"prompt\":\"a cat\",\"size\":\" 1024X1536 \",\"quality\":\"low\"}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("error").get("param").asText()).isEqualTo("size");

    big.enqueue(UpstreamReplies.image(TestImages.png(8, 8)));
    Http.Answer answer = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"big\",\"prompt\":\"a cat\",\"size\":\"01024x1536\",\"quality\":\"low\"}");

    assertOk(answer);
    // the refused call never reached the upstream: the first request it saw is this one, in canonical form
    assertThat(big.take().json().get("size").asText()).isEqualTo("1024x1536");
  }

  @Test
  void generate_deploymentAtItsMaxConcurrent_fallsBackToTheNextTier() throws Exception {
    full.holdNext(3000);
    CompletableFuture<Http.Answer> held = CompletableFuture.supplyAsync(() -> GATEWAY.generate("tiered"));
    full.awaitArrival(10); // the held call now has full's one place
    spare.enqueue(UpstreamReplies.image(TestImages.png(8, 8)));

    long start = System.nanoTime();
    Http.Answer second = GATEWAY.generate("tiered");
    long ms = (System.nanoTime() - start) / 1_000_000;

    assertOk(second);
    assertThat(second.header("x-imagegate-deployment")).isEqualTo("spare");
    assertThat(second.header("x-imagegate-attempts")).isEqualTo("full:busy,spare:200");
    assertThat(ms).as("passed over at once, not after a wait").isLessThan(1500);
    assertOk(held.get());
  }

  @Test
  void generate_onlyDeploymentAtItsMaxConcurrent_isAQuick503WithRetryAfter() throws Exception {
    alone.holdNext(3000);
    CompletableFuture<Http.Answer> held = CompletableFuture.supplyAsync(() -> GATEWAY.generate("alone"));
    alone.awaitArrival(10);

    long start = System.nanoTime();
    Http.Answer second = GATEWAY.generate("alone");
    long ms = (System.nanoTime() - start) / 1_000_000;

    assertError(second, 503, "server_error", "deployments_busy");
    assertThat(second.header("retry-after")).isEqualTo("1");
    assertThat(ms).as("busy_wait_ms is 300").isBetween(250L, 2000L);
    assertOk(held.get());
    alone.holdNext(0);
    assertOk(GATEWAY.generate("alone")); // never counted against the breaker: the deployment still answers
  }
}
