package io.imagegate.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.imagegate.provider.UpstreamException;
import io.imagegate.testing.TestImages;
import io.imagegate.usage.Usage;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code :generateContent} answers and Google's errors, as the adapter reads them. */
class GeminiAnswersTest {
  private static final List<String> SECRETS = List.of("AIzaSyTheDeploymentsOwnKey0123456789abc");
  private static final HttpHeaders NONE = HttpHeaders.of(Map.of(), (a, b) -> true);

  private static GeminiAnswers.Drawn parse(String json) {
    return GeminiAnswers.parse(json.getBytes(StandardCharsets.UTF_8), SECRETS);
  }

  private static UpstreamException failure(String json) {
    return catchThrowableOfType(UpstreamException.class, () -> parse(json));
  }

  @Test
  void parse_snakeCaseInlineData_isTheImage() {
    byte[] png = TestImages.png(5, 5);
    GeminiAnswers.Drawn d = parse("{\"candidates\":[{\"content\":{\"parts\":[{\"inline_data\":{\"mime_type\":"
        + "\"image/png\",\"data\":\"" + Base64.getEncoder().encodeToString(png) + "\"}}]}}],"
        + "\"usageMetadata\":{\"promptTokenCount\":9,\"candidatesTokenCount\":1290}}");
    assertThat(d.image()).isEqualTo(png);
    assertThat(d.usage()).as("no details: all prompt tokens are text, all output image").isEqualTo(new Usage(9, 0, 1290));
  }

  @Test
  void parse_onlyAThoughtImage_isNoImageAndWorthARetry() {
    String draft = Base64.getEncoder().encodeToString(TestImages.png(4, 4));
    UpstreamException e = failure("{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":"
        + "\"image/png\",\"data\":\"" + draft + "\"},\"thought\":true}]},\"finishReason\":\"STOP\"}]}");
    assertThat(e.kind()).isEqualTo(UpstreamException.Kind.RETRYABLE);
    assertThat(e.getMessage()).contains("without an image").contains("finishReason STOP");
  }

  @Test
  void parse_noImageReasons_areRetriedWhileSafetyReasonsAreModeration() {
    assertThat(failure("{\"candidates\":[{\"finishReason\":\"NO_IMAGE\"}]}").kind())
        .isEqualTo(UpstreamException.Kind.RETRYABLE);
    for (String reason : List.of("IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "PROHIBITED_CONTENT", "SAFETY",
        "IMAGE_RECITATION")) {
      UpstreamException e = failure("{\"candidates\":[{\"finishReason\":\"" + reason + "\"}]}");
      assertThat(e.kind()).as(reason).isEqualTo(UpstreamException.Kind.REFUSED);
      assertThat(e.code()).isEqualTo("moderation_blocked");
      assertThat(e.status()).isEqualTo(400);
    }
  }

  @Test
  void parse_notAnImage_isAnInvalidAnswer() {
    UpstreamException e = failure("{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":"
        + "\"image/png\",\"data\":\"aGVsbG8=\"}}]}}]}");
    assertThat(e.kind()).isEqualTo(UpstreamException.Kind.RETRYABLE);
    assertThat(e.getMessage()).contains("not a PNG, JPEG or WebP");
  }

  @Test
  void error_statusesAndDetails_decideWhatComesNext() {
    UpstreamException quota = GeminiAnswers.error(429, NONE, ("{\"error\":{\"code\":429,\"message\":\"Quota\","
        + "\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\","
        + "\"retryDelay\":\"13s\"}]}}").getBytes(StandardCharsets.UTF_8), SECRETS);
    assertThat(quota.kind()).isEqualTo(UpstreamException.Kind.RETRYABLE);
    assertThat(quota.retryAfter()).isEqualTo(Duration.ofSeconds(13));
    assertThat(quota.code()).isEqualTo("resource_exhausted");
    UpstreamException badKey = GeminiAnswers.error(400, NONE, ("{\"error\":{\"code\":400,\"message\":\"API key not"
        + " valid: AIzaSyTheDeploymentsOwnKey0123456789abc\",\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"reason\":"
        + "\"API_KEY_INVALID\"}]}}").getBytes(StandardCharsets.UTF_8), SECRETS);
    assertThat(badKey.kind()).as("Google answers a bad key 400").isEqualTo(UpstreamException.Kind.CREDENTIALS);
    assertThat(badKey.getMessage()).doesNotContain(SECRETS.get(0)).contains("***");
    assertThat(GeminiAnswers.error(404, NONE, new byte[0], SECRETS).kind()).isEqualTo(UpstreamException.Kind.CREDENTIALS);
    assertThat(GeminiAnswers.error(504, NONE, "not json".getBytes(StandardCharsets.UTF_8), SECRETS).kind())
        .isEqualTo(UpstreamException.Kind.RETRYABLE);
    UpstreamException refused = GeminiAnswers.error(400, NONE, ("{\"error\":{\"code\":400,\"message\":\"Bad\","
        + "\"status\":\"INVALID_ARGUMENT\"}}").getBytes(StandardCharsets.UTF_8), SECRETS);
    assertThat(refused.kind()).isEqualTo(UpstreamException.Kind.REFUSED);
    assertThat(refused.type()).isEqualTo("invalid_request_error");
  }
}
