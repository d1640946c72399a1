package io.imagegate.provider.ark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.imagegate.provider.UpstreamException;
import io.imagegate.usage.Usage;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ModelArk's images answers and errors, as the adapter reads them. */
class ArkAnswersTest {
  private static final List<String> SECRETS = List.of("ark-secret-key-0123456789");

  private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  @Test
  void parse_oneImage_withSeedreamsUsage() {
    byte[] jpeg = ArkProviderIT.jpeg(16, 16);
    ArkAnswers.Drawn d = ArkAnswers.parse(utf8("{\"data\":[{\"b64_json\":\""
        + java.util.Base64.getEncoder().encodeToString(jpeg) + "\",\"size\":\"16x16\"}],\"usage\":{\"generated_images\":1,"
        + "\"output_tokens\":1,\"total_tokens\":1}}"), SECRETS);
    assertThat(d.image()).isEqualTo(jpeg);
    assertThat(d.usage()).isEqualTo(new Usage(0, 0, 1));
    assertThat(d.images()).isEqualTo(1);
  }

  @Test
  void parse_perImageErrors_moderationRefusedOthersRetried() {
    UpstreamException moderated = catchThrowableOfType(UpstreamException.class, () -> ArkAnswers.parse(utf8(
        "{\"data\":[{\"error\":{\"code\":\"OutputImageSensitiveContentDetected\",\"message\":\"no\"}}]}"), SECRETS));
    assertThat(moderated.kind()).isEqualTo(UpstreamException.Kind.REFUSED);
    assertThat(moderated.code()).isEqualTo("moderation_blocked");
    UpstreamException other = catchThrowableOfType(UpstreamException.class, () -> ArkAnswers.parse(utf8(
        "{\"data\":[{\"error\":{\"code\":\"InternalServiceError\",\"message\":\"oops\"}}]}"), SECRETS));
    assertThat(other.kind()).isEqualTo(UpstreamException.Kind.RETRYABLE);
    assertThat(catchThrowableOfType(UpstreamException.class, () -> ArkAnswers.parse(utf8("{\"data\":[]}"), SECRETS))
        .kind()).isEqualTo(UpstreamException.Kind.RETRYABLE);
  }

  @Test
  void error_statusesAndCodes_decideWhatComesNext() {
    HttpHeaders after = HttpHeaders.of(Map.of("retry-after", List.of("2")), (a, b) -> true);
    UpstreamException limited = ArkAnswers.error(429, after, utf8("{\"error\":{\"code\":\"RateLimitExceeded\","
        + "\"message\":\"slow\"}}"), SECRETS);
    assertThat(limited.kind()).isEqualTo(UpstreamException.Kind.RETRYABLE);
    assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    HttpHeaders none = HttpHeaders.of(Map.of(), (a, b) -> true);
    assertThat(ArkAnswers.error(401, none, utf8("{\"error\":{\"code\":\"AuthenticationError\"}}"), SECRETS).kind())
        .isEqualTo(UpstreamException.Kind.CREDENTIALS);
    assertThat(ArkAnswers.error(404, none, utf8("{\"error\":{\"code\":\"UnsupportedModel\"}}"), SECRETS).kind())
        .isEqualTo(UpstreamException.Kind.CREDENTIALS);
    UpstreamException input = ArkAnswers.error(400, none, utf8("{\"error\":{\"code\":"
        + "\"InputImageSensitiveContentDetected\",\"message\":\"m\"}}"), SECRETS);
    assertThat(input.code()).isEqualTo("moderation_blocked");
    UpstreamException bad = ArkAnswers.error(400, none, utf8("{\"error\":{\"code\":\"InvalidParameter\","
        + "\"message\":\"size ark-secret-key-0123456789\"}}"), SECRETS);
    assertThat(bad.kind()).isEqualTo(UpstreamException.Kind.REFUSED);
    assertThat(bad.code()).isEqualTo("InvalidParameter");
    assertThat(bad.getMessage()).doesNotContain(SECRETS.get(0));
  }
}
