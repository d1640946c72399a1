package io.imagegate.provider.gemini;

import static io.imagegate.testing.Answers.assertError;
import static io.imagegate.testing.Answers.assertOk;
import static io.imagegate.testing.Answers.b64;
import static io.imagegate.testing.ImageInputs.dataUrl;
import static io.imagegate.testing.ImageInputs.mask;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code gemini} provider over real HTTP against a scripted fake of {@code :generateContent}: the
 * request Gemini receives (path with the model, {@code x-goog-api-key}, parts, inline references,
 * {@code imageConfig}) and the client's OpenAI-shaped answer (images, size, usage, the ledger's cost).
 */
class GeminiProviderIT {
  static final String KEY = "AIzaSyFakeGeminiKeyForTests0123456789ab";
  private static final double FLASH_IMAGE = (13 * 0.30 + 258 * 0.30 + 1290 * 30) / 1_000_000.0;

  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        flash: {provider: gemini, base_url: "{{flash}}", api_key: %1$s, model: gemini-2.5-flash-image}
        pro: {provider: gemini, base_url: "{{pro}}/v1beta", api_key: %1$s, max_parallel: 2}
        g1: {provider: gemini, base_url: "{{g1}}", api_key: %1$s, model: gemini-2.5-flash-image, priority: 0}
        g2: {provider: gemini, base_url: "{{g2}}", api_key: %1$s, model: gemini-2.5-flash-image, priority: 1}
        slow: {provider: gemini, base_url: "{{slow}}", api_key: %1$s, model: gemini-2.5-flash-image,
          timeouts: {answer_seconds: 1}}
      routes:
        nano-banana: {deployments: [flash], rules: gemini-2.5-flash-image}
        gemini-2.5-flash-image: {deployments: [flash]}
        flash-fan-out: {deployments: [flash], rules: gemini-2.5-flash-image}
        gemini-3-pro-image-preview: {deployments: [pro]}
        gemini-fallback: {deployments: [g2, g1], rules: gemini-2.5-flash-image}
        gemini-slow: {deployments: [slow], rules: gemini-2.5-flash-image}
      retry: {max_attempts: 3, base_delay_ms: 10, max_delay_ms: 2000, total_deadline_seconds: 30}
      circuit_breaker: {failure_threshold: 1000}
      """.formatted(KEY));
  private static final FakeUpstream flash = GATEWAY.upstream("flash"), pro = GATEWAY.upstream("pro"),
      g1 = GATEWAY.upstream("g1"), g2 = GATEWAY.upstream("g2"), slow = GATEWAY.upstream("slow");

  @Test
  void generate_textToImage_sendsGenerateContentAndAnswersInOpenAiShape() {
    byte[] drawn = TestImages.png(1248, 832);
    flash.enqueue(GeminiReplies.image(drawn));

    Http.Answer answer = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"nano-banana\",\"prompt\":\"a lighthouse at dusk\",\"size\":\"1536x1024\"}");

    assertOk(answer);
    FakeUpstream.Call call = flash.take();
    assertThat(call.path()).isEqualTo("/v1beta/models/gemini-2.5-flash-image:generateContent");
    assertThat(call.header("x-goog-api-key")).isEqualTo(KEY);
    assertThat(call.header("Authorization")).isNull();
    JsonNode body = call.json();
    assertThat(body.at("/contents/0/role").asText()).isEqualTo("user");
    assertThat(body.at("/contents/0/parts")).hasSize(1);
    assertThat(body.at("/contents/0/parts/0/text").asText()).isEqualTo("a lighthouse at dusk");
    assertThat(body.at("/generationConfig/responseModalities").toString()).isEqualTo("[\"IMAGE\"]");
    assertThat(body.at("/generationConfig/imageConfig/aspectRatio").asText()).isEqualTo("3:2");
    assertThat(body.at("/generationConfig/imageConfig").has("imageSize")).as("flash draws 1K only").isFalse();
    assertThat(body.has("n")).isFalse();

    JsonNode json = answer.json();
    assertThat(b64(json, 0)).as("the final image, not the thought draft").isEqualTo(drawn);
    assertThat(json.get("data")).hasSize(1);
    assertThat(json.get("size").asText()).as("the size drawn for 1536x1024 at 3:2, 1K").isEqualTo("1248x832");
    assertThat(json.get("output_format").asText()).isEqualTo("png");
    assertThat(json.get("background").asText()).isEqualTo("opaque");
    assertThat(json.at("/usage/input_tokens").asLong()).isEqualTo(271);
    assertThat(json.at("/usage/input_tokens_details/text_tokens").asLong()).isEqualTo(13);
    assertThat(json.at("/usage/input_tokens_details/image_tokens").asLong()).isEqualTo(258);
    assertThat(json.at("/usage/output_tokens").asLong()).isEqualTo(1290);
    assertThat(json.at("/usage/total_tokens").asLong()).isEqualTo(1561);
    assertThat(answer.header("x-imagegate-provider")).isEqualTo("gemini");
    JsonNode row = ledgerRow("nano-banana");
    assertThat(row.get("images").asLong()).isEqualTo(1);
    assertThat(row.get("image_output_tokens").asLong()).isEqualTo(1290);
    assertThat(row.get("cost_usd").asDouble()).isCloseTo(FLASH_IMAGE, within(1e-9));
  }

  @Test
  void edit_withReferenceImages_sendsThemInlineAfterThePromptWithTheTier() {
    byte[] first = TestImages.png(64, 48);
    byte[] second = TestImages.encode(io.imagegate.testing.ImageInputs.rgb(TestImages.picture(40, 40)), "jpeg");
    byte[] drawn = TestImages.png(2752, 1536);
    pro.enqueue(GeminiReplies.image(drawn));

    Http.Answer answer = GATEWAY.post("/v1/images/edits", "{\"model\":\"gemini-3-pro-image-preview\","
        + "\"prompt\":\"put the cat on the sofa\",\"size\":\"1920x1080\",\"images\":[{\"image_url\":\""
        + dataUrl(first, "image/png") + "\"},{\"image_url\":\"" + dataUrl(second, "image/jpeg") + "\"}]}");

    assertOk(answer);
    FakeUpstream.Call call = pro.take();
    assertThat(call.path()).as("the route's rules name the model; a /v1beta base URL is not doubled")
        .isEqualTo("/v1beta/models/gemini-3-pro-image-preview:generateContent");
    JsonNode parts = call.json().at("/contents/0/parts");
    assertThat(parts).hasSize(3);
    assertThat(parts.at("/0/text").asText()).isEqualTo("put the cat on the sofa");
    assertThat(parts.at("/1/inlineData/mimeType").asText()).isEqualTo("image/png");
    assertThat(Base64.getDecoder().decode(parts.at("/1/inlineData/data").asText())).isEqualTo(first);
    assertThat(parts.at("/2/inlineData/mimeType").asText()).isEqualTo("image/jpeg");
    assertThat(Base64.getDecoder().decode(parts.at("/2/inlineData/data").asText())).isEqualTo(second);
    JsonNode config = call.json().at("/generationConfig/imageConfig");
    assertThat(config.get("aspectRatio").asText()).isEqualTo("16:9");
    assertThat(config.get("imageSize").asText()).isEqualTo("2K");
    assertThat(answer.json().get("size").asText()).isEqualTo("2752x1536");
    assertThat(b64(answer.json(), 0)).isEqualTo(drawn);
  }

  @Test
  void generate_autoSize_sendsNoImageConfig() {
    flash.enqueue(GeminiReplies.image(TestImages.png(1024, 1024)));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"gemini-2.5-flash-image\",\"prompt\":\"a fox\"}");

    assertOk(answer);
    assertThat(flash.take().json().at("/generationConfig").has("imageConfig")).isFalse();
    assertThat(answer.json().get("size").asText()).isEqualTo("1024x1024");
  }

  @Test
  void generate_nOfThreeWithOneFailing_answersAndBillsTheTwoDrawn() {
    flash.enqueue(GeminiReplies.image(TestImages.png(1024, 1024)),
        GeminiReplies.error(503, "UNAVAILABLE", "The model is overloaded.", null),
        GeminiReplies.image(TestImages.png(1024, 1024)));

    Http.Answer answer = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"flash-fan-out\",\"prompt\":\"three owls\",\"size\":\"1024x1024\",\"n\":3}");

    assertOk(answer);
    assertThat(answer.json().get("data")).hasSize(2);
    assertThat(TestImages.decode(b64(answer.json(), 1)).getWidth()).isEqualTo(1024);
    List<FakeUpstream.Call> calls = flash.calls();
    assertThat(calls).as("one single-image call per image, none retried").hasSize(3);
    assertThat(calls.get(1).body()).isEqualTo(calls.get(0).body());
    assertThat(calls.get(2).body()).isEqualTo(calls.get(0).body());
    assertThat(answer.json().at("/usage/output_tokens").asLong()).isEqualTo(2 * 1290);
    JsonNode row = ledgerRow("flash-fan-out");
    assertThat(row.get("images").asLong()).isEqualTo(2);
    assertThat(row.get("cost_usd").asDouble()).isCloseTo(2 * FLASH_IMAGE, within(1e-9));
  }

  @Test
  void generate_nWhereEveryImageIsBlocked_answersModerationBlocked() {
    flash.enqueue(GeminiReplies.imageSafety(), GeminiReplies.imageSafety());

    Http.Answer answer = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"gemini-2.5-flash-image\",\"prompt\":\"something forbidden\",\"n\":2}");

    assertThat(assertError(answer, 400, "image_generation_user_error", "moderation_blocked"))
        .contains("IMAGE_SAFETY").contains("blocked by safety filters");
    assertThat(flash.callCount()).as("a refusal is not retried").isEqualTo(2);
  }

  @Test
  void generate_promptBlockedWith200_answersModerationBlockedNeverEmptyData() {
    flash.enqueue(GeminiReplies.promptBlocked());

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"gemini-2.5-flash-image\",\"prompt\":\"bad\"}");

    assertThat(assertError(answer, 400, "image_generation_user_error", "moderation_blocked"))
        .contains("PROHIBITED_CONTENT");
    assertThat(flash.callCount()).isEqualTo(1);
  }

  @Test
  void generate_answerWithTextOnly_isRetried() {
    flash.enqueue(GeminiReplies.textOnly(), GeminiReplies.image(TestImages.png(1024, 1024)));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"gemini-2.5-flash-image\",\"prompt\":\"a fox\"}");

    assertOk(answer);
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("flash:retryable,flash:200");
  }

  @Test
  void generate_429WithRetryInfoThen503s_retriesThenFallsBack() {
    g1.enqueue(GeminiReplies.error(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", "0.3s"),
        GeminiReplies.error(503, "UNAVAILABLE", "Overloaded.", null),
        GeminiReplies.error(503, "UNAVAILABLE", "Overloaded.", null));
    byte[] drawn = TestImages.png(1024, 1024);
    g2.enqueue(GeminiReplies.image(drawn));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"gemini-fallback\",\"prompt\":\"a fox\"}");

    assertOk(answer);
    assertThat(b64(answer.json(), 0)).isEqualTo(drawn);
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("g1:429,g1:503,g1:503,g2:200");
    List<FakeUpstream.Call> calls = g1.calls();
    long gapMs = (calls.get(1).arrivedNanos() - calls.get(0).arrivedNanos()) / 1_000_000;
    assertThat(gapMs).as("the RetryInfo delay is honoured").isBetween(280L, 1500L);
  }

  @Test
  void generate_upstream400_isTheClientsAnswerWithTheKeyScrubbed() {
    flash.enqueue(GeminiReplies.error(400, "INVALID_ARGUMENT", "Bad request for key " + KEY + ".", null));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"gemini-2.5-flash-image\",\"prompt\":\"a fox\"}");

    String message = assertError(answer, 400, "invalid_request_error", "invalid_argument");
    assertThat(message).doesNotContain(KEY).contains("***");
    assertThat(flash.callCount()).isEqualTo(1);
  }

  @Test
  void generate_jpegAsked_transcodesTheDrawnPng() {
    flash.enqueue(GeminiReplies.image(TestImages.png(1024, 1024)));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"gemini-2.5-flash-image\",\"prompt\":\"a fox\","
        + "\"output_format\":\"jpeg\",\"output_compression\":80}");

    assertOk(answer);
    byte[] image = b64(answer.json(), 0);
    assertThat(image[0] & 0xff).isEqualTo(0xFF);
    assertThat(image[1] & 0xff).isEqualTo(0xD8);
    assertThat(TestImages.decode(image).getWidth()).isEqualTo(1024);
    assertThat(answer.json().get("output_format").asText()).isEqualTo("jpeg");
  }

  @Test
  void requestsGeminiCannotHonour_areRefusedBeforeAnyCall() {
    byte[] image = TestImages.png(64, 64);
    assertRefused(GATEWAY.post("/v1/images/edits", "{\"model\":\"gemini-2.5-flash-image\",\"prompt\":\"x\",\"images\":[{\"image_url\":\""
        + dataUrl(image, "image/png") + "\"}],\"mask\":{\"image_url\":\"" + dataUrl(mask(64, 64), "image/png") + "\"}}"),
        "mask", "edits by instruction");
    assertRefused(gen("\"background\":\"transparent\""), "background", "transparent background is not supported");
    assertRefused(gen("\"stream\":true,\"partial_images\":2"), "partial_images", "partial");
    assertRefused(gen("\"size\":\"1792x1024\""), "size", "7:4");
    assertRefused(gen("\"size\":\"1920x1080\""), "size", "1344x768 (1K)");
    assertRefused(gen("\"quality\":\"high\""), "quality", "auto");
    assertRefused(gen("\"seed\":42"), "seed", "seed");
    assertThat(flash.callCount()).isZero();
  }

  @Test
  void generate_nAboveMaxParallel_keepsAtMostThatManyCallsInFlight() {
    for (int i = 0; i < 4; i++) {
      pro.enqueue(GeminiReplies.image(TestImages.png(1024, 1024)).setBodyDelay(400, TimeUnit.MILLISECONDS));
    }

    Http.Answer answer = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"gemini-3-pro-image-preview\",\"prompt\":\"four cats\",\"n\":4,\"size\":\"1024x1024\"}");

    assertOk(answer);
    assertThat(answer.json().get("data")).hasSize(4);
    List<FakeUpstream.Call> calls = pro.calls();
    long second = (calls.get(1).arrivedNanos() - calls.get(0).arrivedNanos()) / 1_000_000;
    long third = (calls.get(2).arrivedNanos() - calls.get(0).arrivedNanos()) / 1_000_000;
    assertThat(second).as("two calls at once").isLessThan(300);
    assertThat(third).as("the third waits for a free slot (max_parallel: 2)").isGreaterThanOrEqualTo(350);
    assertThat(calls.get(0).json().at("/generationConfig/imageConfig/imageSize").asText()).isEqualTo("1K");
  }

  @Test
  void generate_fannedOutCallsPastTheAnswerTimeout_areRetriedThenAnswered504() {
    for (int i = 0; i < 6; i++) {
      slow.enqueue(GeminiReplies.image(TestImages.png(8, 8)).setHeadersDelay(3, TimeUnit.SECONDS));
    }
    long started = System.nanoTime();

    Http.Answer answer = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"gemini-slow\",\"prompt\":\"x\",\"n\":2}");

    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(assertError(answer, 504, "upstream_error", "upstream_timeout")).contains("within 1 s");
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("slow:timeout,slow:timeout,slow:timeout");
    assertThat(slow.callCount()).as("both calls of each attempt").isEqualTo(6);
    assertThat(tookMs).as("each attempt gives up after its 1 s, its two calls in parallel").isBetween(2900L, 6000L);
  }

  private static Http.Answer gen(String fields) {
    return GATEWAY.post("/v1/images/generations", "{\"model\":\"gemini-2.5-flash-image\",\"prompt\":\"x\"," + fields + "}");
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
