package io.imagegate.provider.dashscope;

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
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code dashscope} provider over real HTTP against a scripted fake of DashScope's image APIs: the
 * request Qwen-Image receives (path, Bearer key, {@code X-DashScope-Async}, model, messages or prompt,
 * parameters), the download of the result URL from a second fake host, and the client's OpenAI-shaped
 * answer and ledger row.
 */
class DashscopeProviderIT {
  static final String KEY = "sk-0123456789abcdef-fake-dashscope-key";

  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        ds: {provider: dashscope, base_url: "{{ds}}", api_key: %1$s}
        seq: {provider: dashscope, base_url: "{{seq}}/api/v1", api_key: %1$s, max_parallel: 1}
        task: {provider: dashscope, base_url: "{{task}}", api_key: %1$s, api: async, poll_interval_ms: 20}
        d1: {provider: dashscope, base_url: "{{d1}}", api_key: %1$s, priority: 0}
        d2: {provider: dashscope, base_url: "{{d2}}", api_key: %1$s, model: qwen-image-max, priority: 1}
      routes:
        qwen-image-plus: {deployments: [ds]}
        qwen-image-edit-plus: {deployments: [ds]}
        qwen-ledger: {deployments: [ds], rules: qwen-image-plus}
        qwen-moderated: {deployments: [ds], rules: qwen-image-max}
        qwen-too-large: {deployments: [ds], rules: qwen-image-max}
        qwen-slow-file: {deployments: [ds], rules: qwen-image-max}
        qwen-fan-out: {deployments: [seq], rules: qwen-image}
        qwen-task: {deployments: [task], rules: qwen-image}
        qwen-task-failed: {deployments: [task], rules: qwen-image}
        qwen-task-moderated: {deployments: [task], rules: qwen-image}
        qwen-fallback: {deployments: [d1, d2], rules: qwen-image-max}
      retry: {max_attempts: 3, base_delay_ms: 10, max_delay_ms: 2000, total_deadline_seconds: 60}
      circuit_breaker: {failure_threshold: 1000}
      """.formatted(KEY));
  private static final FakeUpstream ds = GATEWAY.upstream("ds"), seq = GATEWAY.upstream("seq"),
      task = GATEWAY.upstream("task"), d1 = GATEWAY.upstream("d1"), d2 = GATEWAY.upstream("d2"),
      oss = GATEWAY.upstream("oss");

  /** Serves {@code png} at a fresh signed-looking path on the fake OSS host; returns its URL. */
  static String result(String id, byte[] png) {
    String path = "/1d/7f/" + id + ".png?Expires=1764800000&OSSAccessKeyId=LTAI&Signature=abc";
    oss.serve(path, "image/png", png);
    return oss.url(path);
  }

  @Test
  void generate_textToImage_callsTheSyncEndpointAndAnswersTheDownloadedPng() {
    byte[] drawn = TestImages.png(1664, 928);
    ds.enqueue(DashscopeReplies.image(result("s1", drawn), 1664, 928));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"qwen-ledger\",\"prompt\":\"a harbour"
        + " at night\",\"size\":\"1664x928\",\"negative_prompt\":\"fog\",\"prompt_extend\":false,\"seed\":42}");

    assertOk(answer);
    FakeUpstream.Call call = ds.take();
    assertThat(call.request().getMethod()).isEqualTo("POST");
    assertThat(call.path()).isEqualTo("/api/v1/services/aigc/multimodal-generation/generation");
    assertThat(call.header("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(call.header("X-DashScope-Async")).as("the sync endpoint").isNull();
    JsonNode body = call.json();
    assertThat(body.get("model").asText()).as("the route's rules name the model").isEqualTo("qwen-image-plus");
    assertThat(body.at("/input/messages/0/role").asText()).isEqualTo("user");
    assertThat(body.at("/input/messages/0/content")).hasSize(1);
    assertThat(body.at("/input/messages/0/content/0/text").asText()).isEqualTo("a harbour at night");
    JsonNode p = body.get("parameters");
    assertThat(p.get("size").asText()).as("DashScope writes W*H").isEqualTo("1664*928");
    assertThat(p.get("n").asInt()).isEqualTo(1);
    assertThat(p.get("watermark").isBoolean()).isTrue();
    assertThat(p.get("watermark").asBoolean(true)).as("no mark unless asked").isFalse();
    assertThat(p.get("negative_prompt").asText()).isEqualTo("fog");
    assertThat(p.get("prompt_extend").asBoolean(true)).isFalse();
    assertThat(p.get("seed").asLong()).isEqualTo(42);

    JsonNode json = answer.json();
    assertThat(b64(json, 0)).isEqualTo(drawn);
    assertThat(json.get("size").asText()).isEqualTo("1664x928");
    assertThat(json.get("output_format").asText()).as("PNG as Qwen drew it").isEqualTo("png");
    assertThat(json.at("/usage/output_tokens").asLong()).as("DashScope counts no tokens").isZero();
    assertThat(answer.header("x-imagegate-provider")).isEqualTo("dashscope");
    JsonNode row = ledgerRow("qwen-ledger");
    assertThat(row.get("images").asLong()).isEqualTo(1);
    assertThat(row.get("cost_usd").asDouble()).as("qwen-image-plus per image").isCloseTo(0.03, within(1e-9));
  }

  @Test
  void edit_withTwoImages_sendsThemAsDataUriPartsBeforeTheTextAndTranscodesToJpeg() {
    byte[] first = TestImages.png(64, 48);
    byte[] second = TestImages.encode(rgb(TestImages.picture(40, 40)), "jpeg");
    ds.enqueue(DashscopeReplies.image(result("e1", TestImages.png(1024, 768)), 1024, 768));

    Http.Answer answer = GATEWAY.post("/v1/images/edits", "{\"model\":\"qwen-image-edit-plus\",\"prompt\":\"blend"
        + " them\",\"output_format\":\"jpeg\",\"images\":[{\"image_url\":\"" + dataUrl(first, "image/png")
        + "\"},{\"image_url\":\"" + dataUrl(second, "image/jpeg") + "\"}]}");

    assertOk(answer);
    FakeUpstream.Call call = ds.take();
    assertThat(call.path()).isEqualTo("/api/v1/services/aigc/multimodal-generation/generation");
    JsonNode content = call.json().at("/input/messages/0/content");
    assertThat(content).hasSize(3);
    assertThat(content.at("/0/image").asText()).isEqualTo(dataUrl(first, "image/png"));
    assertThat(content.at("/1/image").asText()).isEqualTo(dataUrl(second, "image/jpeg"));
    assertThat(content.at("/2/text").asText()).isEqualTo("blend them");
    assertThat(call.json().get("model").asText()).isEqualTo("qwen-image-edit-plus");
    assertThat(call.json().at("/parameters").has("size")).as("auto: the model's default").isFalse();
    byte[] image = b64(answer.json(), 0);
    assertThat(image[0] & 0xff).as("a JPEG signature").isEqualTo(0xFF);
    assertThat(answer.json().get("output_format").asText()).isEqualTo("jpeg");
    assertThat(answer.json().get("size").asText()).isEqualTo("1024x768");
  }

  @Test
  void generate_asyncTask_submitsPollsUntilSucceededAndDownloads() {
    byte[] drawn = TestImages.png(1328, 1328);
    task.enqueue(DashscopeReplies.submitted("t-1"), DashscopeReplies.status("t-1", "PENDING"),
        DashscopeReplies.status("t-1", "RUNNING"), DashscopeReplies.succeeded("t-1", result("t1", drawn)));

    Http.Answer answer = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"qwen-task\",\"prompt\":\"a harbour\",\"size\":\"1328x1328\",\"negative_prompt\":\"fog\"}");

    assertOk(answer);
    FakeUpstream.Call submit = task.take();
    assertThat(submit.request().getMethod()).isEqualTo("POST");
    assertThat(submit.path()).isEqualTo("/api/v1/services/aigc/text2image/image-synthesis");
    assertThat(submit.header("X-DashScope-Async")).isEqualTo("enable");
    assertThat(submit.header("Authorization")).isEqualTo("Bearer " + KEY);
    JsonNode body = submit.json();
    assertThat(body.get("model").asText()).isEqualTo("qwen-image");
    assertThat(body.at("/input/prompt").asText()).isEqualTo("a harbour");
    assertThat(body.at("/input/negative_prompt").asText()).isEqualTo("fog");
    assertThat(body.at("/parameters/size").asText()).isEqualTo("1328*1328");
    assertThat(body.at("/parameters/watermark").asBoolean(true)).isFalse();
    for (int i = 0; i < 3; i++) {
      FakeUpstream.Call poll = task.take();
      assertThat(poll.request().getMethod()).isEqualTo("GET");
      assertThat(poll.path()).isEqualTo("/api/v1/tasks/t-1");
      assertThat(poll.header("Authorization")).isEqualTo("Bearer " + KEY);
    }
    assertThat(b64(answer.json(), 0)).isEqualTo(drawn);
    assertThat(answer.json().get("size").asText()).isEqualTo("1328x1328");
    assertThat(ledgerRow("qwen-task").get("cost_usd").asDouble()).isCloseTo(0.035, within(1e-9));
  }

  @Test
  void generate_asyncTaskFailed_is502WithoutANewTask() {
    task.enqueue(DashscopeReplies.submitted("t-2"), DashscopeReplies.failed("t-2", "InternalError.Algo", "boom"));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"qwen-task-failed\",\"prompt\":\"x\"}");

    assertThat(assertError(answer, 502, "upstream_error", "upstream_error")).contains("FAILED");
    assertThat(task.callCount()).as("a retry would be a new paid task").isEqualTo(2);
    assertNothingCharged("qwen-task-failed");
  }

  @Test
  void generate_asyncTaskSucceededButModerated_isModerationBlocked() {
    task.enqueue(DashscopeReplies.submitted("t-3"), DashscopeReplies.succeededModerated("t-3"));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"qwen-task-moderated\",\"prompt\":\"x\"}");

    assertThat(assertError(answer, 400, "image_generation_user_error", "moderation_blocked"))
        .contains("DataInspectionFailed");
    assertThat(task.callCount()).isEqualTo(2);
    assertNothingCharged("qwen-task-moderated");
  }

  @Test
  void generate_nOfThreeWithOneImageFailing_answersAndBillsTheTwoDrawn() {
    seq.enqueue(DashscopeReplies.image(result("f1", TestImages.png(1328, 1328)), 1328, 1328),
        DashscopeReplies.error(400, "InvalidParameter", "The prompt is too long for this image."),
        DashscopeReplies.image(result("f3", TestImages.png(1328, 1328)), 1328, 1328));

    Http.Answer answer = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"qwen-fan-out\",\"prompt\":\"three boats\",\"n\":3}");

    assertOk(answer);
    assertThat(answer.json().get("data")).hasSize(2);
    List<FakeUpstream.Call> calls = seq.calls();
    assertThat(calls).as("one call per image").hasSize(3);
    assertThat(calls.get(0).path()).as("a base URL ending in /api/v1 is the same API")
        .isEqualTo("/api/v1/services/aigc/multimodal-generation/generation");
    assertThat(calls.get(2).body()).isEqualTo(calls.get(0).body());
    JsonNode row = ledgerRow("qwen-fan-out");
    assertThat(row.get("images").asLong()).isEqualTo(2);
    assertThat(row.get("cost_usd").asDouble()).as("the failed image is not billed").isCloseTo(0.07, within(1e-9));
  }

  @Test
  void generate_moderatedAs400DataInspectionFailed_isModerationBlockedWithoutRetry() {
    ds.enqueue(DashscopeReplies.error(400, "DataInspectionFailed", "Input data may contain inappropriate content."));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"qwen-moderated\",\"prompt\":\"x\"}");

    assertThat(assertError(answer, 400, "image_generation_user_error", "moderation_blocked"))
        .contains("inappropriate content");
    assertThat(ds.callCount()).isEqualTo(1);
    assertNothingCharged("qwen-moderated");
  }

  @Test
  void generate_resultFileOverTheSizeCap_isACleanBadGatewayAndNothingCharged() {
    String path = "/1d/7f/big.png";
    oss.enqueue(new MockResponse().setHeader("Content-Type", "image/png").setBody("not read")
        .setHeader("Content-Length", String.valueOf(60L * 1024 * 1024)));
    ds.enqueue(DashscopeReplies.image(oss.url(path), 1328, 1328));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"qwen-too-large\",\"prompt\":\"x\"}");

    assertThat(assertError(answer, 502, "upstream_error", "upstream_error")).contains("larger than the limit");
    assertThat(oss.take().path()).isEqualTo(path);
    assertThat(ds.callCount()).as("not retried: a retry would be a new paid image").isEqualTo(1);
    assertNothingCharged("qwen-too-large");
  }

  @Test
  void generate_resultFileThatNeverArrives_timesOutAsACleanBadGatewayAndNothingCharged() {
    oss.enqueue(new MockResponse().setHeadersDelay(45, java.util.concurrent.TimeUnit.SECONDS).setBody("late"));
    ds.enqueue(DashscopeReplies.image(oss.url("/1d/7f/slow.png"), 1328, 1328));

    long started = System.nanoTime();
    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"qwen-slow-file\",\"prompt\":\"x\"}");
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(assertError(answer, 502, "upstream_error", "upstream_error")).contains("could not be downloaded");
    assertThat(tookMs).as("the fetcher's own 30 s time-out, inside the 60 s deadline").isBetween(29_000L, 45_000L);
    assertNothingCharged("qwen-slow-file");
  }

  @Test
  void generate_429Then503s_retriesThenFallsBack() {
    d1.enqueue(DashscopeReplies.error(429, "Throttling.RateQuota", "Requests rate limit exceeded.")
            .setHeader("retry-after", "1"),
        DashscopeReplies.error(503, "ServiceUnavailable", "Busy."), DashscopeReplies.error(503, "ServiceUnavailable", "Busy."));
    byte[] drawn = TestImages.png(1328, 1328);
    d2.enqueue(DashscopeReplies.image(result("fb", drawn), 1328, 1328));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"qwen-fallback\",\"prompt\":\"x\"}");

    assertOk(answer);
    assertThat(b64(answer.json(), 0)).isEqualTo(drawn);
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("d1:429,d1:503,d1:503,d2:200");
    List<FakeUpstream.Call> calls = d1.calls();
    long gapMs = (calls.get(1).arrivedNanos() - calls.get(0).arrivedNanos()) / 1_000_000;
    assertThat(gapMs).as("Retry-After is honoured").isBetween(950L, 2500L);
    assertThat(d2.take().json().get("model").asText()).isEqualTo("qwen-image-max");
    assertThat(ledgerRow("qwen-fallback").get("cost_usd").asDouble()).isCloseTo(0.075, within(1e-9));
  }

  @Test
  void generate_invalidParameterAs400_isTheClientsAnswerWithTheKeyScrubbed() {
    ds.enqueue(DashscopeReplies.error(400, "InvalidParameter", "size rejected for key " + KEY));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"qwen-image-plus\",\"prompt\":\"x\"}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error().get("message").asText()).doesNotContain(KEY).contains("***").contains("InvalidParameter");
    assertThat(ds.callCount()).isEqualTo(1);
  }

  @Test
  void requestsQwenCannotHonour_areRefusedBeforeAnyCall() {
    String png = dataUrl(TestImages.png(64, 64), "image/png");
    String one = "{\"image_url\":\"" + png + "\"}";
    assertRefused(GATEWAY.post("/v1/images/edits", "{\"model\":\"qwen-image-edit-plus\",\"prompt\":\"x\",\"images\":["
        + one + "],\"mask\":{\"image_url\":\"" + dataUrl(mask(64, 64), "image/png") + "\"}}"), "mask", "edits by instruction");
    assertRefused(GATEWAY.post("/v1/images/edits", "{\"model\":\"qwen-image-edit-plus\",\"prompt\":\"x\",\"images\":["
        + one + "," + one + "," + one + "," + one + "]}"), "image", "more than the 3");
    assertRefused(GATEWAY.post("/v1/images/edits", "{\"model\":\"qwen-image-plus\",\"prompt\":\"x\",\"images\":["
        + one + "]}"), "image", "text alone");
    assertRefused(GATEWAY.post("/v1/images/edits", "{\"model\":\"qwen-image-edit-plus\",\"prompt\":\"x\",\"images\":["
        + one + "],\"size\":\"1024x400\"}"), "size", "512 to 2048");
    assertRefused(gen("qwen-image-plus", "\"background\":\"transparent\""), "background", "transparent background");
    assertRefused(gen("qwen-image-plus", "\"stream\":true,\"partial_images\":1"), "partial_images", "Partial images");
    assertRefused(gen("qwen-image-plus", "\"size\":\"1024x1024\""), "size", "1664x928, 1472x1140, 1328x1328");
    assertRefused(gen("qwen-moderated", "\"size\":\"1472x1140\""), "size", "1472x1104");
    assertRefused(gen("qwen-image-plus", "\"quality\":\"high\""), "quality", "auto");
    assertRefused(gen("qwen-image-plus", "\"watermark\":\"yes\""), "watermark", "true or false");
    assertRefused(gen("qwen-image-plus", "\"prompt_extend\":1"), "prompt_extend", "true or false");
    assertRefused(gen("qwen-image-plus", "\"seed\":-1"), "seed", "2147483647");
    assertRefused(gen("qwen-image-plus", "\"negative_prompt\":\"" + "n".repeat(501) + "\""), "negative_prompt", "500");
    assertRefused(gen("qwen-image-plus", "\"style\":\"anime\""), "style", "style");
    assertThat(ds.callCount()).isZero();
  }

  private static Http.Answer gen(String model, String fields) {
    return GATEWAY.post("/v1/images/generations", "{\"model\":\"" + model + "\",\"prompt\":\"x\"," + fields + "}");
  }

  private static void assertRefused(Http.Answer answer, String param, String says) {
    assertThat(answer.status()).as(answer.json().toString()).isEqualTo(400);
    assertThat(answer.error().get("param").asText()).as(answer.json().toString()).isEqualTo(param);
    assertThat(answer.error().get("message").asText()).contains(says);
  }

  static JsonNode ledgerRow(String route) {
    JsonNode row = ledgerRowOrNull(route);
    if (row == null) throw new AssertionError("no ledger row for " + route);
    return row;
  }

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
