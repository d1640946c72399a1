package io.imagegate.provider.bfl;

import static io.imagegate.testing.Answers.assertError;
import static io.imagegate.testing.Answers.assertOk;
import static io.imagegate.testing.Answers.b64;
import static io.imagegate.testing.ImageInputs.dataUrl;
import static io.imagegate.testing.ImageInputs.mask;
import static io.imagegate.testing.ImageInputs.rgb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import java.util.Base64;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code bfl} provider over real HTTP against a scripted fake of the BFL API: the task submitted
 * (path with the model, {@code x-key}, body fields, {@code input_image…} base64), its polls, the download of
 * {@code result.sample} from a second fake host, and the client's OpenAI-shaped answer and ledger row.
 */
class BflProviderIT {
  static final String KEY = "bfl-0123456789abcdef-fake-upstream-key";

  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        bfl: {provider: bfl, base_url: "{{bfl}}", api_key: %1$s, poll_interval_ms: 20}
        seq: {provider: bfl, base_url: "{{seq}}/v1", api_key: %1$s, poll_interval_ms: 20, max_parallel: 1}
        b1: {provider: bfl, base_url: "{{b1}}", api_key: %1$s, poll_interval_ms: 20, priority: 0}
        b2: {provider: bfl, base_url: "{{b2}}", api_key: %1$s, poll_interval_ms: 20, priority: 1}
      routes:
        flux-pro-1.1: {deployments: [bfl]}
        flux-kontext-pro: {deployments: [bfl]}
        flux-ledger: {deployments: [bfl], rules: flux-pro-1.1}
        flux-fan-out: {deployments: [seq], rules: flux-pro-1.1}
        flux-moderated: {deployments: [seq], rules: flux-pro-1.1}
        flux-task-error: {deployments: [bfl], rules: flux-pro-1.1}
        flux-too-large: {deployments: [bfl], rules: flux-pro-1.1}
        flux-slow-file: {deployments: [bfl], rules: flux-pro-1.1}
        flux-poll-blip: {deployments: [bfl], rules: flux-pro-1.1}
        flux-fallback: {deployments: [b1, b2], rules: flux-kontext-max}
      retry: {max_attempts: 3, base_delay_ms: 10, max_delay_ms: 2000, total_deadline_seconds: 60}
      circuit_breaker: {failure_threshold: 1000}
      """.formatted(KEY));
  private static final FakeUpstream bfl = GATEWAY.upstream("bfl"), seq = GATEWAY.upstream("seq"),
      b1 = GATEWAY.upstream("b1"), b2 = GATEWAY.upstream("b2"), cdn = GATEWAY.upstream("cdn");

  static byte[] jpeg(int w, int h) { return TestImages.encode(rgb(TestImages.picture(w, h)), "jpeg"); }

  /** Serves {@code file} at a fresh signed-looking path on the fake CDN; returns its URL. */
  static String sample(String id, byte[] file, String type) {
    String path = "/results/" + id + "/sample." + (type.endsWith("png") ? "png" : "jpg") + "?se=2026-12-02&sig=abc";
    cdn.serve(path, type, file);
    return cdn.url(path);
  }

  @Test
  void generate_textToImage_submitsPollsPendingUntilReadyAndAnswersTheDownloadedFile() {
    byte[] drawn = TestImages.png(1024, 768);
    bfl.enqueue(BflReplies.submitted(bfl, "t1"), BflReplies.pending("t1"),
        BflReplies.ready("t1", sample("t1", drawn, "image/png")));

    Http.Answer answer = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"flux-ledger\",\"prompt\":\"a harbour at night\",\"size\":\"1024x768\",\"seed\":42}");

    assertOk(answer);
    FakeUpstream.Call submit = bfl.take();
    assertThat(submit.request().getMethod()).isEqualTo("POST");
    assertThat(submit.path()).as("the route's rules name the model").isEqualTo("/v1/flux-pro-1.1");
    assertThat(submit.header("x-key")).isEqualTo(KEY);
    assertThat(submit.header("Authorization")).isNull();
    JsonNode body = submit.json();
    assertThat(body.get("prompt").asText()).isEqualTo("a harbour at night");
    assertThat(body.get("width").asInt()).isEqualTo(1024);
    assertThat(body.get("height").asInt()).isEqualTo(768);
    assertThat(body.get("output_format").asText()).isEqualTo("png");
    assertThat(body.get("seed").asLong()).as("BFL's own field, passed on").isEqualTo(42);
    assertThat(body.has("aspect_ratio")).isFalse();
    assertThat(body.has("input_image")).isFalse();
    assertThat(body.has("n")).isFalse();
    for (int i = 0; i < 2; i++) {
      FakeUpstream.Call poll = bfl.take();
      assertThat(poll.request().getMethod()).isEqualTo("GET");
      assertThat(poll.path()).isEqualTo(BflReplies.pollPath("t1"));
      assertThat(poll.header("x-key")).isEqualTo(KEY);
    }
    assertThat(bfl.callCount()).as("submit, Pending, Ready").isEqualTo(3);

    JsonNode json = answer.json();
    assertThat(b64(json, 0)).isEqualTo(drawn);
    assertThat(json.get("size").asText()).isEqualTo("1024x768");
    assertThat(json.get("output_format").asText()).isEqualTo("png");
    assertThat(answer.header("x-imagegate-provider")).isEqualTo("bfl");
    JsonNode row = ledgerRow("flux-ledger");
    assertThat(row.get("images").asLong()).isEqualTo(1);
    assertThat(row.get("cost_usd").asDouble()).as("FLUX 1.1 [pro] bills per image").isCloseTo(0.04, within(1e-9));
  }

  @Test
  void edit_withTwoReferences_sendsThemAsInputImagesInBase64WithTheAspectRatio() {
    byte[] first = TestImages.png(64, 48);
    byte[] second = jpeg(40, 40);
    byte[] drawn = jpeg(1392, 752);
    bfl.enqueue(BflReplies.submitted(bfl, "e1"), BflReplies.ready("e1", sample("e1", drawn, "image/jpeg")));

    Http.Answer answer = GATEWAY.post("/v1/images/edits", "{\"model\":\"flux-kontext-pro\",\"prompt\":\"blend them\","
        + "\"size\":\"1392x752\",\"output_format\":\"jpeg\",\"images\":[{\"image_url\":\""
        + dataUrl(first, "image/png") + "\"},{\"image_url\":\"" + dataUrl(second, "image/jpeg") + "\"}]}");

    assertOk(answer);
    FakeUpstream.Call submit = bfl.take();
    assertThat(submit.path()).isEqualTo("/v1/flux-kontext-pro");
    JsonNode body = submit.json();
    assertThat(body.get("input_image").asText()).isEqualTo(Base64.getEncoder().encodeToString(first));
    assertThat(body.get("input_image_2").asText()).isEqualTo(Base64.getEncoder().encodeToString(second));
    assertThat(body.has("input_image_3")).isFalse();
    assertThat(body.get("aspect_ratio").asText()).isEqualTo("16:9");
    assertThat(body.has("width")).as("Kontext takes a ratio").isFalse();
    assertThat(body.get("output_format").asText()).isEqualTo("jpeg");
    assertThat(b64(answer.json(), 0)).as("JPEG as drawn").isEqualTo(drawn);
    assertThat(answer.json().get("output_format").asText()).isEqualTo("jpeg");
    assertThat(answer.json().get("size").asText()).isEqualTo("1392x752");
  }

  @Test
  void generate_autoSizeAskedAsPng_sendsNoSizeAndTranscodesBflsJpeg() {
    bfl.enqueue(BflReplies.submitted(bfl, "a1"), BflReplies.ready("a1", sample("a1", jpeg(1024, 1024), "image/jpeg")));

    Http.Answer answer = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"flux-kontext-pro\",\"prompt\":\"x\",\"output_format\":\"png\"}");

    assertOk(answer);
    JsonNode body = bfl.take().json();
    assertThat(body.has("aspect_ratio")).as("auto: the model's default").isFalse();
    assertThat(body.get("output_format").asText()).isEqualTo("png");
    assertThat(b64(answer.json(), 0)[1]).as("a PNG signature").isEqualTo((byte) 'P');
    assertThat(answer.json().get("output_format").asText()).isEqualTo("png");
  }

  @Test
  void generate_nOfThreeWithOneTaskFailing_answersAndBillsTheTwoDrawn() {
    seq.enqueue(BflReplies.submitted(seq, "f1"), BflReplies.ready("f1", sample("f1", TestImages.png(512, 512), "image/png")),
        BflReplies.submitted(seq, "f2"), BflReplies.ended("f2", "Error"),
        BflReplies.submitted(seq, "f3"), BflReplies.pending("f3"),
        BflReplies.ready("f3", sample("f3", TestImages.png(512, 512), "image/png")));

    Http.Answer answer = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"flux-fan-out\",\"prompt\":\"three boats\",\"size\":\"512x512\",\"n\":3}");

    assertOk(answer);
    assertThat(answer.json().get("data")).hasSize(2);
    List<FakeUpstream.Call> submits = seq.calls().stream().filter(c -> c.request().getMethod().equals("POST")).toList();
    assertThat(submits).as("one task per image").hasSize(3);
    assertThat(submits.get(0).path()).as("a base URL ending in /v1 is the same API").isEqualTo("/v1/flux-pro-1.1");
    assertThat(submits.get(2).body()).isEqualTo(submits.get(0).body());
    JsonNode row = ledgerRow("flux-fan-out");
    assertThat(row.get("images").asLong()).isEqualTo(2);
    assertThat(row.get("cost_usd").asDouble()).as("the failed task is not billed").isCloseTo(0.08, within(1e-9));
  }

  @Test
  void generate_everyTaskModerated_answersModerationBlockedWithoutRetry() {
    seq.enqueue(BflReplies.submitted(seq, "m1"), BflReplies.ended("m1", "Content Moderated"),
        BflReplies.submitted(seq, "m2"), BflReplies.ended("m2", "Request Moderated"));

    Http.Answer answer = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"flux-moderated\",\"prompt\":\"x\",\"n\":2}");

    assertThat(assertError(answer, 400, "image_generation_user_error", "moderation_blocked")).contains("Moderated");
    assertThat(seq.callCount()).as("two tasks, each polled once; nothing retried").isEqualTo(4);
    assertNothingCharged("flux-moderated");
  }

  @Test
  void generate_taskEndsInError_is502WithoutANewTask() {
    bfl.enqueue(BflReplies.submitted(bfl, "x1"), BflReplies.ended("x1", "Error"));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"flux-task-error\",\"prompt\":\"x\"}");

    assertThat(assertError(answer, 502, "upstream_error", "upstream_error")).contains("status Error");
    assertThat(bfl.callCount()).as("a retry would be a new paid task").isEqualTo(2);
    assertNothingCharged("flux-task-error");
  }

  @Test
  void generate_pollFailingInPassing_isPolledAgainWithoutANewTask() {
    byte[] drawn = TestImages.png(512, 512);
    bfl.enqueue(BflReplies.submitted(bfl, "b1"), BflReplies.error(503, "Service unavailable"), BflReplies.pending("b1"),
        BflReplies.error(502, "Bad gateway"), BflReplies.ready("b1", sample("b1", drawn, "image/png")));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"flux-poll-blip\",\"prompt\":\"x\"}");

    assertOk(answer);
    assertThat(b64(answer.json(), 0)).isEqualTo(drawn);
    assertThat(answer.header("x-imagegate-attempts")).as("one attempt").isEqualTo("bfl:200");
    assertThat(bfl.calls().stream().filter(c -> c.request().getMethod().equals("POST")).count())
        .as("the task is polled again, never submitted anew").isEqualTo(1);
    assertThat(bfl.callCount()).isEqualTo(5);
  }

  @Test
  void generate_resultFileOverTheSizeCap_isACleanBadGatewayAndNothingCharged() {
    String path = "/results/big/sample.png";
    cdn.enqueue(new MockResponse().setHeader("Content-Type", "image/png").setBody("not read")
        .setHeader("Content-Length", String.valueOf(60L * 1024 * 1024)));
    bfl.enqueue(BflReplies.submitted(bfl, "big"), BflReplies.ready("big", cdn.url(path)));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"flux-too-large\",\"prompt\":\"x\"}");

    assertThat(assertError(answer, 502, "upstream_error", "upstream_error")).contains("larger than the limit");
    assertThat(cdn.take().path()).isEqualTo(path);
    assertThat(bfl.callCount()).as("not retried: a retry would be a new paid task").isEqualTo(2);
    assertNothingCharged("flux-too-large");
  }

  @Test
  void generate_resultFileThatNeverArrives_timesOutAsACleanBadGatewayAndNothingCharged() {
    cdn.enqueue(new MockResponse().setHeadersDelay(45, java.util.concurrent.TimeUnit.SECONDS)
        .setBody("late"));
    bfl.enqueue(BflReplies.submitted(bfl, "slow"), BflReplies.ready("slow", cdn.url("/results/slow/sample.png")));

    long started = System.nanoTime();
    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"flux-slow-file\",\"prompt\":\"x\"}");
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(assertError(answer, 502, "upstream_error", "upstream_error")).contains("could not be downloaded");
    assertThat(tookMs).as("the fetcher's own 30 s time-out, well inside the 60 s deadline").isBetween(29_000L, 45_000L);
    assertNothingCharged("flux-slow-file");
  }

  @Test
  void generate_429Then503s_retriesThenFallsBack() {
    b1.enqueue(BflReplies.error(429, "You have reached the maximum number of active tasks.").setHeader("retry-after", "1"),
        BflReplies.error(503, "Service unavailable"), BflReplies.error(503, "Service unavailable"));
    byte[] drawn = TestImages.png(1024, 1024);
    b2.enqueue(BflReplies.submitted(b2, "fb"), BflReplies.ready("fb", sample("fb", drawn, "image/png")));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"flux-fallback\",\"prompt\":\"x\"}");

    assertOk(answer);
    assertThat(b64(answer.json(), 0)).isEqualTo(drawn);
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("b1:429,b1:503,b1:503,b2:200");
    List<FakeUpstream.Call> calls = b1.calls();
    long gapMs = (calls.get(1).arrivedNanos() - calls.get(0).arrivedNanos()) / 1_000_000;
    assertThat(gapMs).as("Retry-After is honoured").isBetween(950L, 2500L);
    assertThat(b2.take().path()).isEqualTo("/v1/flux-kontext-max");
    JsonNode row = ledgerRow("flux-fallback");
    assertThat(row.get("cost_usd").asDouble()).as("Kontext [max] per image").isCloseTo(0.08, within(1e-9));
  }

  @Test
  void generate_invalidRequestAs422_isTheClientsAnswerWithTheKeyScrubbed() {
    bfl.enqueue(BflReplies.error(422, "prompt rejected for key " + KEY));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"flux-pro-1.1\",\"prompt\":\"x\"}");

    assertThat(answer.status()).isEqualTo(422);
    assertThat(answer.error().get("message").asText()).doesNotContain(KEY).contains("***");
    assertThat(bfl.callCount()).isEqualTo(1);
  }

  @Test
  void requestsFluxCannotHonour_areRefusedBeforeAnyCall() {
    byte[] image = TestImages.png(64, 64);
    assertRefused(GATEWAY.post("/v1/images/edits", "{\"model\":\"flux-kontext-pro\",\"prompt\":\"x\","
        + "\"images\":[{\"image_url\":\"" + dataUrl(image, "image/png") + "\"}],\"mask\":{\"image_url\":\""
        + dataUrl(mask(64, 64), "image/png") + "\"}}"), "mask", "edits by instruction");
    assertRefused(gen("flux-pro-1.1", "\"background\":\"transparent\""), "background", "transparent background");
    assertRefused(gen("flux-pro-1.1", "\"stream\":true,\"partial_images\":1"), "partial_images", "Partial images");
    assertRefused(gen("flux-pro-1.1", "\"size\":\"1000x1000\""), "size", "multiples of 32");
    assertRefused(gen("flux-pro-1.1", "\"size\":\"2048x2048\""), "size", "at most 1440");
    assertRefused(gen("flux-kontext-pro", "\"size\":\"1000x600\""), "size", "21:9");
    assertRefused(gen("flux-kontext-pro", "\"size\":\"2048x2048\""), "size", "1024x1024 (1K)");
    assertRefused(gen("flux-pro-1.1", "\"quality\":\"high\""), "quality", "auto");
    assertRefused(gen("flux-pro-1.1", "\"safety_tolerance\":9"), "safety_tolerance", "0 to 6");
    assertRefused(gen("flux-pro-1.1", "\"style_preset\":\"anime\""), "style_preset", "style_preset");
    assertThat(bfl.callCount()).isZero();
  }

  private static Http.Answer gen(String model, String fields) {
    return GATEWAY.post("/v1/images/generations", "{\"model\":\"" + model + "\",\"prompt\":\"x\"," + fields + "}");
  }

  private static void assertRefused(Http.Answer answer, String param, String says) {
    assertThat(answer.status()).as(answer.json().toString()).isEqualTo(400);
    assertThat(answer.error().get("param").asText()).isEqualTo(param);
    assertThat(answer.error().get("message").asText()).contains(says);
  }

  static JsonNode ledgerRow(String route) {
    JsonNode row = ledgerRowOrNull(route);
    if (row == null) throw new AssertionError("no ledger row for " + route);
    return row;
  }

  /** No ledger row for {@code route}, or one with no image and no cost (a failed request's). */
  static void assertNothingCharged(String route) {
    JsonNode row = ledgerRowOrNull(route);
    if (row == null) return;
    assertThat(row.get("images").asLong()).as(row.toString()).isZero();
    assertThat(row.get("cost_usd").asDouble()).as(row.toString()).isZero();
  }

  static JsonNode ledgerRowOrNull(String route) {
    JsonNode usage = Http.get(GATEWAY.url("/admin/usage?group_by=model"), RunningGateway.MASTER_KEY).json();
    for (JsonNode r : usage.get("data")) if (r.get("group").asText().equals(route)) return r;
    return null;
  }
}
