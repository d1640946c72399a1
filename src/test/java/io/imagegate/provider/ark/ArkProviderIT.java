package io.imagegate.provider.ark;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code ark} provider over real HTTP against a scripted fake of ModelArk's images API: the request
 * Seedream receives (path, Bearer key, model, size, {@code image} data URIs, {@code b64_json},
 * {@code watermark}) and the client's OpenAI-shaped answer (images, size, usage, the ledger's per-image cost).
 */
class ArkProviderIT {
  static final String KEY = "ark-0123456789abcdef-fake-upstream-key";

  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        volc: {provider: ark, base_url: "{{volc}}", api_key: %1$s}
        volc-ep: {provider: ark, base_url: "{{volc}}/api/v3", api_key: %1$s, model: ep-20251128-abcde}
        a1: {provider: ark, base_url: "{{a1}}", api_key: %1$s, model: doubao-seedream-4-5-251128, priority: 0}
        a2: {provider: ark, base_url: "{{a2}}", api_key: %1$s, model: seedream-4-5-251128, priority: 1}
      routes:
        doubao-seedream-4-5-251128: {deployments: [volc]}
        seedream-ledger: {deployments: [volc], rules: doubao-seedream-4-5-251128}
        seedream-fan-out: {deployments: [volc], rules: doubao-seedream-4-5-251128}
        seedream-endpoint: {deployments: [volc-ep], rules: doubao-seedream-4-0-250828}
        seedream-fallback: {deployments: [a2, a1], rules: doubao-seedream-4-5-251128}
      retry: {max_attempts: 3, base_delay_ms: 10, max_delay_ms: 2000, total_deadline_seconds: 30}
      circuit_breaker: {failure_threshold: 1000}
      """.formatted(KEY));
  private static final FakeUpstream volc = GATEWAY.upstream("volc"), a1 = GATEWAY.upstream("a1"),
      a2 = GATEWAY.upstream("a2");

  static byte[] jpeg(int w, int h) { return TestImages.encode(rgb(TestImages.picture(w, h)), "jpeg"); }

  @Test
  void generate_textToImage_sendsSeedreamsRequestAndAnswersTheJpegAsDrawn() {
    byte[] drawn = jpeg(2560, 1440);
    volc.enqueue(ArkReplies.image(drawn, 2560, 1440));

    Http.Answer answer = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"seedream-ledger\",\"prompt\":\"a harbour at night\",\"size\":\"2560x1440\"}");

    assertOk(answer);
    FakeUpstream.Call call = volc.take();
    assertThat(call.path()).isEqualTo("/api/v3/images/generations");
    assertThat(call.header("Authorization")).isEqualTo("Bearer " + KEY);
    JsonNode body = call.json();
    assertThat(body.get("model").asText()).as("the route's rules name the model").isEqualTo("doubao-seedream-4-5-251128");
    assertThat(body.get("prompt").asText()).isEqualTo("a harbour at night");
    assertThat(body.get("size").asText()).isEqualTo("2560x1440");
    assertThat(body.get("response_format").asText()).isEqualTo("b64_json");
    assertThat(body.get("watermark").asBoolean(true)).as("no AI mark unless asked").isFalse();
    assertThat(body.has("image")).isFalse();
    assertThat(body.has("n")).isFalse();

    JsonNode json = answer.json();
    assertThat(b64(json, 0)).isEqualTo(drawn);
    assertThat(json.get("size").asText()).isEqualTo("2560x1440");
    assertThat(json.get("output_format").asText()).as("JPEG as Seedream drew it").isEqualTo("jpeg");
    assertThat(json.at("/usage/output_tokens").asLong()).isEqualTo(2560L * 1440 / 256);
    assertThat(json.at("/usage/input_tokens").asLong()).isZero();
    assertThat(answer.header("x-imagegate-provider")).isEqualTo("ark");
    JsonNode row = ledgerRow("seedream-ledger");
    assertThat(row.get("images").asLong()).isEqualTo(1);
    assertThat(row.get("cost_usd").asDouble()).as("Seedream 4.5 bills per image").isCloseTo(0.04, within(1e-9));
  }

  @Test
  void edit_withTwoReferences_sendsThemAsDataUrisAndTranscodesToTheFormatAsked() {
    byte[] first = TestImages.png(64, 48);
    byte[] second = jpeg(40, 40);
    volc.enqueue(ArkReplies.image(jpeg(2048, 2048), 2048, 2048));

    Http.Answer answer = GATEWAY.post("/v1/images/edits", "{\"model\":\"doubao-seedream-4-5-251128\","
        + "\"prompt\":\"blend them\",\"output_format\":\"png\",\"images\":[{\"image_url\":\""
        + dataUrl(first, "image/png") + "\"},{\"image_url\":\"" + dataUrl(second, "image/jpeg") + "\"}]}");

    assertOk(answer);
    JsonNode body = volc.take().json();
    assertThat(body.get("image")).hasSize(2);
    assertThat(body.at("/image/0").asText()).isEqualTo(dataUrl(first, "image/png"));
    assertThat(body.at("/image/1").asText()).isEqualTo(dataUrl(second, "image/jpeg"));
    assertThat(body.has("size")).as("auto: the model's default").isFalse();
    byte[] image = b64(answer.json(), 0);
    assertThat(image[1]).as("a PNG signature").isEqualTo((byte) 'P');
    assertThat(answer.json().get("output_format").asText()).isEqualTo("png");
    assertThat(answer.json().get("size").asText()).isEqualTo("2048x2048");
  }

  @Test
  void generate_oneReferenceAndAnEndpointId_sendsTheImageAsAStringAndTheEndpoint() {
    byte[] reference = TestImages.png(32, 32);
    volc.enqueue(ArkReplies.image(jpeg(1024, 1024), 1024, 1024));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"seedream-endpoint\",\"prompt\":\"x\","
        + "\"size\":\"1024x1024\",\"watermark\":true,\"images\":[{\"image_url\":\"" + dataUrl(reference, "image/png") + "\"}]}");

    assertOk(answer);
    FakeUpstream.Call call = volc.take();
    assertThat(call.path()).isEqualTo("/api/v3/images/generations");
    JsonNode body = call.json();
    assertThat(body.get("model").asText()).isEqualTo("ep-20251128-abcde");
    assertThat(body.get("image").isTextual()).isTrue();
    assertThat(body.get("image").asText()).isEqualTo(dataUrl(reference, "image/png"));
    assertThat(body.get("size").asText()).as("4.0 draws 1024x1024").isEqualTo("1024x1024");
    assertThat(body.get("watermark").asBoolean()).as("asked for").isTrue();
  }

  @Test
  void generate_nOfThreeWithOneImageModerated_answersAndBillsTheTwoDrawn() {
    volc.enqueue(ArkReplies.image(jpeg(2048, 2048), 2048, 2048),
        ArkReplies.imageError("OutputImageSensitiveContentDetected", "The output image may contain sensitive content."),
        ArkReplies.image(jpeg(2048, 2048), 2048, 2048));

    Http.Answer answer = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"seedream-fan-out\",\"prompt\":\"three boats\",\"n\":3}");

    assertOk(answer);
    assertThat(answer.json().get("data")).hasSize(2);
    List<FakeUpstream.Call> calls = volc.calls();
    assertThat(calls).hasSize(3);
    assertThat(calls.get(2).body()).isEqualTo(calls.get(0).body());
    assertThat(answer.json().at("/usage/output_tokens").asLong()).isEqualTo(2 * 16_384);
    JsonNode row = ledgerRow("seedream-fan-out");
    assertThat(row.get("images").asLong()).isEqualTo(2);
    assertThat(row.get("cost_usd").asDouble()).as("the moderated image is not billed").isCloseTo(0.04 * 2, within(1e-9));
  }

  @Test
  void generate_everyImageModerated_answersModerationBlocked() {
    volc.enqueue(ArkReplies.imageError("OutputImageSensitiveContentDetected", "sensitive"),
        ArkReplies.imageError("OutputImageSensitiveContentDetected", "sensitive"));

    Http.Answer answer = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"doubao-seedream-4-5-251128\",\"prompt\":\"x\",\"n\":2}");

    assertThat(assertError(answer, 400, "image_generation_user_error", "moderation_blocked"))
        .contains("OutputImageSensitiveContentDetected");
    assertThat(volc.callCount()).isEqualTo(2);
  }

  @Test
  void generate_promptRefusedAs400_isModerationBlockedWithoutRetry() {
    volc.enqueue(ArkReplies.error(400, "InputTextSensitiveContentDetected", "The request failed because the input"
        + " text may contain sensitive information."));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"doubao-seedream-4-5-251128\",\"prompt\":\"x\"}");

    assertError(answer, 400, "image_generation_user_error", "moderation_blocked");
    assertThat(volc.callCount()).isEqualTo(1);
  }

  @Test
  void generate_invalidParameter_isTheClientsAnswerWithTheKeyScrubbed() {
    volc.enqueue(ArkReplies.error(400, "InvalidParameter", "bad size for " + KEY + ". Request ID: 2025"));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"doubao-seedream-4-5-251128\",\"prompt\":\"x\"}");

    assertThat(assertError(answer, 400, "invalid_request_error", "InvalidParameter")).doesNotContain(KEY).contains("***");
  }

  @Test
  void generate_429Then503s_retriesThenFallsBack() {
    a1.enqueue(ArkReplies.error(429, "RateLimitExceeded", "Too many requests.").setHeader("retry-after", "1"),
        ArkReplies.error(503, "ServerOverloaded", "Overloaded."), ArkReplies.error(503, "ServerOverloaded", "Overloaded."));
    byte[] drawn = jpeg(2048, 2048);
    a2.enqueue(ArkReplies.image(drawn, 2048, 2048));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"seedream-fallback\",\"prompt\":\"x\"}");

    assertOk(answer);
    assertThat(b64(answer.json(), 0)).isEqualTo(drawn);
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("a1:429,a1:503,a1:503,a2:200");
    List<FakeUpstream.Call> calls = a1.calls();
    long gapMs = (calls.get(1).arrivedNanos() - calls.get(0).arrivedNanos()) / 1_000_000;
    assertThat(gapMs).as("Retry-After is honoured").isBetween(950L, 2500L);
    assertThat(a2.take().json().get("model").asText()).as("BytePlus's id").isEqualTo("seedream-4-5-251128");
  }

  @Test
  void requestsSeedreamCannotHonour_areRefusedBeforeAnyCall() {
    byte[] image = TestImages.png(64, 64);
    assertRefused(GATEWAY.post("/v1/images/edits", "{\"model\":\"doubao-seedream-4-5-251128\",\"prompt\":\"x\","
        + "\"images\":[{\"image_url\":\"" + dataUrl(image, "image/png") + "\"}],\"mask\":{\"image_url\":\""
        + dataUrl(mask(64, 64), "image/png") + "\"}}"), "mask", "edits by instruction");
    assertRefused(gen("\"background\":\"transparent\""), "background", "transparent background is not supported");
    assertRefused(gen("\"stream\":true,\"partial_images\":1"), "partial_images", "partial");
    assertRefused(gen("\"size\":\"1024x1024\""), "size", "between 3686400 and 16777216 pixels");
    assertRefused(gen("\"size\":\"8000x400\""), "size", "16:1");
    assertRefused(gen("\"quality\":\"high\""), "quality", "auto");
    assertRefused(gen("\"seed\":7"), "seed", "seed");
    assertRefused(gen("\"watermark\":\"yes\""), "watermark", "true or false");
    assertThat(volc.callCount()).isZero();
  }

  private static Http.Answer gen(String fields) {
    return GATEWAY.post("/v1/images/generations", "{\"model\":\"doubao-seedream-4-5-251128\",\"prompt\":\"x\","
        + fields + "}");
  }

  private static void assertRefused(Http.Answer answer, String param, String says) {
    assertThat(answer.status()).as(answer.json().toString()).isEqualTo(400);
    assertThat(answer.error().get("param").asText()).isEqualTo(param);
    assertThat(answer.error().get("message").asText()).contains(says);
  }

  private static JsonNode ledgerRow(String route) {
    JsonNode usage = Http.get(GATEWAY.url("/admin/usage?group_by=model"), RunningGateway.MASTER_KEY).json();
    for (JsonNode r : usage.get("data")) if (r.get("group").asText().equals(route)) return r;
    throw new AssertionError("no ledger row for " + route + ": " + usage);
  }
}
