package io.imagegate.provider.openai;

import static io.imagegate.testing.Answers.assertError;
import static io.imagegate.testing.Answers.assertOk;
import static io.imagegate.testing.Answers.b64;
import static io.imagegate.testing.Answers.fieldNames;
import static io.imagegate.testing.Answers.text;
import static io.imagegate.testing.ImageInputs.dataUrl;
import static io.imagegate.testing.ImageInputs.mask;
import static io.imagegate.testing.ImageInputs.rgb;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.ImageServer;
import io.imagegate.testing.Multipart;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import io.imagegate.usage.TokenMeter;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenAI upstream over real HTTP: what the upstream receives (path, Bearer key, JSON or multipart body,
 * model swapped for the deployment's, client fields passed through) and what the client gets back.
 */
class UpstreamOpenAiIT {
  static final String KEY = "sk-upstream-openai-secret-0123456789";
  /** A key that does not look like one, so only the configured-secret scrubbing can hide it. */
  static final String PLAIN_KEY = "Zq7PlainLookingUpstreamCredential42";
  static final String UPSTREAM_MODEL = "gpt-image-2-2026-04-21";

  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        oai:
          provider: openai
          base_url: "{{oai}}"
          api_key: %1$s
          model: %3$s
        leaky:
          provider: openai
          base_url: "{{leaky}}"
          api_key: %2$s
        nowebp:
          provider: openai
          base_url: "{{nowebp}}"
          api_key: %1$s
          supports:
            webp: false
        unnamed:
          provider: openai
          base_url: "{{unnamed}}/v1/"
          api_key: %1$s
      routes:
        gpt-image-2:
          deployments: [oai]
        leaky-route:
          deployments: [leaky]
          rules: gpt-image-2
        nowebp-route:
          deployments: [nowebp]
          rules: gpt-image-2
        gpt-image-1.5:
          deployments: [unnamed]
      retry:
        max_attempts: 3
        base_delay_ms: 10
        max_delay_ms: 50
      circuit_breaker:
        failure_threshold: 1000
      """.formatted(KEY, PLAIN_KEY, UPSTREAM_MODEL));
  private static final FakeUpstream openai = GATEWAY.upstream("oai"), leaky = GATEWAY.upstream("leaky"),
      noWebp = GATEWAY.upstream("nowebp"), unnamed = GATEWAY.upstream("unnamed");
  private static ImageServer images;

  @BeforeAll
  static void start() {
    images = new ImageServer();
  }

  @AfterAll
  static void stop() {
    if (images != null) images.close();
  }

  @Test
  void generate_textToImage_sendsJsonWithUpstreamModelKeyAndEveryClientField() {
    byte[] drawn = TestImages.png(48, 32);
    openai.enqueue(UpstreamReplies.image(drawn));

    Http.Answer answer = post("/v1/images/generations", """
        {"model":"gpt-image-2","prompt":"A white cat running under the stars","n":1,"size":"1024x1024",
         "quality":"low","background":"opaque","output_format":"png","moderation":"low","user":"user-42",
         "response_format":"b64_json","future_flag":true,"future_object":{"nested":[1,"two"]}}""");

    assertOk(answer);
    assertThat(answer.header("x-imagegate-provider")).isEqualTo("openai");
    assertThat(answer.header("x-imagegate-deployment")).isEqualTo("oai");
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("oai:200");
    assertThat(b64(answer.json(), 0)).isEqualTo(drawn);
    assertThat(answer.json().get("usage")).isEqualTo(Http.json(UpstreamReplies.USAGE));
    assertThat(answer.json().get("data")).hasSize(1);

    FakeUpstream.Call call = openai.take();
    assertThat(call.request().getMethod()).isEqualTo("POST");
    assertThat(call.path()).isEqualTo("/v1/images/generations");
    assertThat(call.header("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(call.header("api-key")).isNull();
    assertThat(call.header("Content-Type")).startsWith("application/json");
    JsonNode sent = call.json();
    assertThat(fieldNames(sent)).containsExactlyInAnyOrder("model", "prompt", "n", "size", "quality",
        "background", "output_format", "moderation", "user", "future_flag", "future_object");
    assertThat(sent.get("model").asText()).isEqualTo(UPSTREAM_MODEL);
    assertThat(sent.get("prompt").asText()).isEqualTo("A white cat running under the stars");
    assertThat(sent.get("n").isInt()).isTrue();
    assertThat(sent.get("n").asInt()).isEqualTo(1);
    assertThat(sent.get("size").asText()).isEqualTo("1024x1024");
    assertThat(sent.get("quality").asText()).isEqualTo("low");
    assertThat(sent.get("background").asText()).isEqualTo("opaque");
    assertThat(sent.get("output_format").asText()).isEqualTo("png");
    assertThat(sent.get("moderation").asText()).isEqualTo("low");
    assertThat(sent.get("user").asText()).isEqualTo("user-42");
    assertThat(sent.get("future_flag").isBoolean()).isTrue();
    assertThat(sent.get("future_flag").asBoolean()).isTrue();
    assertThat(sent.get("future_object")).isEqualTo(Http.json("{\"nested\":[1,\"two\"]}"));
    assertThat(sent.has("response_format")).isFalse();
    assertThat(openai.callCount()).isEqualTo(1);
  }

  @Test
  void generate_routeWithoutUpstreamModel_sendsThePublicModelIdAndDropsV1FromBaseUrl() {
    unnamed.enqueue(UpstreamReplies.image(TestImages.png(16, 16)));

    Http.Answer answer = post("/v1/images/generations",
        "{\"model\":\"gpt-image-1.5\",\"prompt\":\"a fox\",\"size\":\"1024x1024\",\"quality\":\"low\"}");

    assertOk(answer);
    FakeUpstream.Call call = unnamed.take();
    assertThat(call.path()).isEqualTo("/v1/images/generations");
    assertThat(call.json().get("model").asText()).isEqualTo("gpt-image-1.5");
  }

  @Test
  void generate_withImageDataUrl_sendsMultipartEditWithTheInputAsImageParts() {
    byte[] input = TestImages.png(300, 200);
    byte[] drawn = TestImages.png(40, 40);
    openai.enqueue(UpstreamReplies.image(drawn));

    Http.Answer answer = post("/v1/images/generations", "{\"prompt\":\"make it night\",\"size\":\"1024x1024\","
        + "\"quality\":\"low\",\"image\":\"" + dataUrl(input, "image/png") + "\"}");

    assertOk(answer);
    assertThat(b64(answer.json(), 0)).isEqualTo(drawn);
    FakeUpstream.Call call = openai.take();
    assertThat(call.path()).isEqualTo("/v1/images/edits");
    assertThat(call.header("Authorization")).isEqualTo("Bearer " + KEY);
    Multipart parts = call.parts();
    List<Multipart.Part> imageParts = parts.named("image[]");
    assertThat(imageParts).hasSize(1);
    assertThat(imageParts.get(0).data()).isEqualTo(input);
    assertThat(imageParts.get(0).filename()).isNotNull();
    assertThat(imageParts.get(0).contentType()).isEqualTo("image/png");
    assertThat(parts.named("mask")).isEmpty();
    assertThat(parts.named("image")).isEmpty();
    assertThat(parts.textNames()).containsExactlyInAnyOrder("model", "prompt", "size", "quality");
    assertThat(parts.text("model")).isEqualTo(UPSTREAM_MODEL);
    assertThat(parts.text("prompt")).isEqualTo("make it night");
    assertThat(parts.text("size")).isEqualTo("1024x1024");
    assertThat(parts.text("quality")).isEqualTo("low");
  }

  @Test
  void edit_jsonImagesAndMask_sendsTwoImagePartsAndTheMaskWithTheirExactBytes() {
    byte[] first = TestImages.png(256, 256);
    byte[] second = TestImages.encode(rgb(TestImages.picture(200, 120)), "jpeg");
    byte[] mask = mask(256, 256);
    images.serve("/second.jpg", "image/jpeg", second);
    openai.enqueue(UpstreamReplies.image(TestImages.png(20, 20)));

    Http.Answer answer = post("/v1/images/edits", "{\"prompt\":\"merge them\",\"size\":\"1024x1024\","
        + "\"quality\":\"low\",\"images\":[{\"image_url\":\"" + dataUrl(first, "image/png") + "\"},"
        + "{\"image_url\":\"" + images.url("/second.jpg") + "\"}],"
        + "\"mask\":{\"image_url\":\"" + dataUrl(mask, "image/png") + "\"}}");

    assertOk(answer);
    assertThat(answer.header("x-imagegate-provider")).isEqualTo("openai");
    FakeUpstream.Call call = openai.take();
    assertThat(call.path()).isEqualTo("/v1/images/edits");
    Multipart parts = call.parts();
    List<Multipart.Part> imageParts = parts.named("image[]");
    assertThat(imageParts).hasSize(2);
    assertThat(imageParts.get(0).data()).isEqualTo(first);
    assertThat(imageParts.get(0).contentType()).isEqualTo("image/png");
    assertThat(imageParts.get(1).data()).isEqualTo(second);
    assertThat(imageParts.get(1).contentType()).isEqualTo("image/jpeg");
    List<Multipart.Part> maskParts = parts.named("mask");
    assertThat(maskParts).hasSize(1);
    assertThat(maskParts.get(0).data()).isEqualTo(mask);
    assertThat(maskParts.get(0).filename()).isNotNull();
    assertThat(parts.named("images")).isEmpty();
    assertThat(parts.textNames()).containsExactlyInAnyOrder("model", "prompt", "size", "quality");
    assertThat(parts.text("model")).isEqualTo(UPSTREAM_MODEL);
  }

  @Test
  void edit_multipartFromClient_passesItsTextFieldsThroughUnchanged() {
    byte[] input = TestImages.png(128, 128);
    byte[] mask = mask(128, 128);
    openai.enqueue(UpstreamReplies.image(TestImages.png(20, 20)));
    Multipart.Builder body = new Multipart.Builder()
        .text("model", "gpt-image-2")
        .text("prompt", "put a tiny hat on it, ünïcødé ✓")
        .text("n", "1")
        .text("size", "1024x1024")
        .text("quality", "low")
        .text("background", "opaque")
        .text("output_format", "jpeg")
        .text("output_compression", "80")
        .text("moderation", "low")
        .text("user", "u-7")
        .text("future_field", "some value")
        .file("image[]", "in.png", "image/png", input)
        .file("mask", "mask.png", "image/png", mask);

    Http.Answer answer = Http.post(GATEWAY.url("/v1/images/edits"), RunningGateway.MASTER_KEY,
        body.contentType(), body.build());

    assertOk(answer);
    FakeUpstream.Call call = openai.take();
    assertThat(call.path()).isEqualTo("/v1/images/edits");
    Multipart parts = call.parts();
    assertThat(parts.textNames()).containsExactlyInAnyOrder("model", "prompt", "n", "size", "quality",
        "background", "output_format", "output_compression", "moderation", "user", "future_field");
    assertThat(parts.text("model")).isEqualTo(UPSTREAM_MODEL);
    assertThat(parts.text("prompt")).isEqualTo("put a tiny hat on it, ünïcødé ✓");
    assertThat(parts.text("n")).isEqualTo("1");
    assertThat(parts.text("size")).isEqualTo("1024x1024");
    assertThat(parts.text("quality")).isEqualTo("low");
    assertThat(parts.text("background")).isEqualTo("opaque");
    assertThat(parts.text("output_format")).isEqualTo("jpeg");
    assertThat(parts.text("output_compression")).isEqualTo("80");
    assertThat(parts.text("moderation")).isEqualTo("low");
    assertThat(parts.text("user")).isEqualTo("u-7");
    assertThat(parts.text("future_field")).isEqualTo("some value");
    assertThat(parts.named("image[]")).singleElement().satisfies(p -> assertThat(p.data()).isEqualTo(input));
    assertThat(parts.named("mask")).singleElement().satisfies(p -> assertThat(p.data()).isEqualTo(mask));
  }

  @Test
  void generate_upstreamAnswersUrl_weAnswerB64OfTheDownloadedBytes() {
    byte[] drawn = TestImages.png(64, 48);
    openai.serve("/files/out.png", "image/png", drawn);
    openai.enqueue(UpstreamReplies.imageUrl(openai.url("/files/out.png")));

    Http.Answer answer = post("/v1/images/generations",
        "{\"prompt\":\"a lighthouse\",\"size\":\"1024x1024\",\"quality\":\"low\"}");

    assertOk(answer);
    JsonNode item = answer.json().get("data").get(0);
    assertThat(item.has("url")).isFalse();
    assertThat(Base64.getDecoder().decode(item.get("b64_json").asText())).isEqualTo(drawn);
    assertThat(openai.take().path()).isEqualTo("/v1/images/generations");
  }

  @Test
  void generate_upstreamAnswerWithoutUsage_getsComputedUsage() {
    openai.enqueue(UpstreamReplies.imageWithoutUsage(TestImages.png(32, 32)));
    String prompt = "a quiet harbour at dawn";

    Http.Answer answer = post("/v1/images/generations",
        "{\"prompt\":\"" + prompt + "\",\"size\":\"1024x1024\",\"quality\":\"low\"}");

    assertOk(answer);
    JsonNode usage = answer.json().get("usage");
    assertThat(usage).as("usage").isNotNull();
    long text = TokenMeter.textTokens(prompt);
    assertThat(text).isPositive();
    // spec §7: gpt-image-2, 1024x1024, low → 196 output tokens
    assertThat(usage.get("output_tokens").asLong()).isEqualTo(196);
    assertThat(usage.at("/output_tokens_details/image_tokens").asLong()).isEqualTo(196);
    assertThat(usage.at("/input_tokens_details/text_tokens").asLong()).isEqualTo(text);
    assertThat(usage.at("/input_tokens_details/image_tokens").asLong()).isZero();
    assertThat(usage.get("input_tokens").asLong()).isEqualTo(text);
    assertThat(usage.get("total_tokens").asLong()).isEqualTo(text + 196);
    openai.take();
  }

  @Test
  void generate_upstreamModerationBlocked_passesTheErrorThroughWithoutRetry() {
    String message = "Your request was rejected by the safety system.";
    openai.enqueue(UpstreamReplies.error(400, "image_generation_user_error", "moderation_blocked", message),
        UpstreamReplies.image(TestImages.png(8, 8)));

    Http.Answer answer = post("/v1/images/generations",
        "{\"prompt\":\"something forbidden\",\"size\":\"1024x1024\",\"quality\":\"low\"}");

    assertThat(assertError(answer, 400, "image_generation_user_error", "moderation_blocked")).isEqualTo(message);
    assertThat(answer.error().get("param").isNull()).isTrue();
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("oai:400");
    assertThat(openai.take().path()).isEqualTo("/v1/images/generations");
    assertThat(openai.callCount()).isEqualTo(1);
  }

  @Test
  void generate_upstreamRefusesAField_passesStatusTypeCodeMessageAndParamThrough() {
    openai.enqueue(UpstreamReplies.json(422, "{\"error\":{\"message\":\"Invalid value for 'quality'.\","
        + "\"type\":\"invalid_request_error\",\"code\":\"invalid_value\",\"param\":\"quality\"}}"));

    Http.Answer answer = post("/v1/images/generations",
        "{\"prompt\":\"a cat\",\"size\":\"1024x1024\",\"quality\":\"low\"}");

    assertThat(assertError(answer, 422, "invalid_request_error", "invalid_value"))
        .isEqualTo("Invalid value for 'quality'.");
    assertThat(answer.error().get("param").asText()).isEqualTo("quality");
    assertThat(openai.callCount()).isEqualTo(1);
  }

  @Test
  void generate_upstream401EchoingTheKey_answers502AndNeverShowsTheKey() {
    leaky.enqueue(UpstreamReplies.error(401, "invalid_request_error", "invalid_api_key",
        "Incorrect API key provided: " + PLAIN_KEY + ". You can find your API key at the dashboard."));

    Http.Answer answer = post("/v1/images/generations",
        "{\"model\":\"leaky-route\",\"prompt\":\"a cat\",\"size\":\"1024x1024\",\"quality\":\"low\"}");

    assertError(answer, 502, "upstream_error", "upstream_error");
    String raw = text(answer);
    assertThat(raw).doesNotContain(PLAIN_KEY).doesNotContain(PLAIN_KEY.substring(0, 12));
    answer.raw().headers().map().values().forEach(v -> assertThat(String.join(",", v)).doesNotContain(PLAIN_KEY));
    FakeUpstream.Call call = leaky.take();
    assertThat(call.header("Authorization")).isEqualTo("Bearer " + PLAIN_KEY);
    // credentials are not retried on the same deployment
    assertThat(leaky.callCount()).isEqualTo(1);
  }

  @Test
  void generate_webpOnDeploymentWithoutWebp_isRefusedBeforeAnyUpstreamCall() {
    noWebp.enqueue(UpstreamReplies.image(TestImages.png(8, 8)));

    Http.Answer answer = post("/v1/images/generations", "{\"model\":\"nowebp-route\",\"prompt\":\"a cat\","
        + "\"size\":\"1024x1024\",\"quality\":\"low\",\"output_format\":\"webp\"}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error().get("param").asText()).isEqualTo("output_format");
    assertThat(answer.error().get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(noWebp.callCount()).isZero();
  }

  private static Http.Answer post(String path, String json) {
    return GATEWAY.post(path, json);
  }
}
