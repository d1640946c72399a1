package io.imagegate.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.provider.UpstreamException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the answer parser refuses: bodies that are not JSON, and images whose base64 is not base64. */
class OpenAiAnswersValidationTest {

  private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  @ParameterizedTest
  @ValueSource(strings = {"aGVsbG8=", "aGVsbA==", "aGVs", "+/+/", "iVBORw0KGgo="})
  void isBase64_paddedStandardBase64_isAccepted(String text) {
    byte[] b = bytes("xx" + text + "yy");
    assertThat(OpenAiAnswers.isBase64(b, 2, text.length())).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "aGVsbG8", "aGVs bG8=", "aGVs!G8=", "a=Vs", "====", "A===", "aGVsbG8-", "aGVs_G8=",
      "aGVsbG8=aGVs"})
  void isBase64_anythingElse_isRefused(String text) {
    byte[] b = bytes(text);
    assertThat(OpenAiAnswers.isBase64(b, 0, b.length)).as(text).isFalse();
  }

  @Test
  void isBase64_realImage_isAccepted() {
    byte[] b = Base64.getEncoder().encode(io.imagegate.testing.TestImages.png(33, 17));
    assertThat(OpenAiAnswers.isBase64(b, 0, b.length)).isTrue();
  }

  @Test
  void parse_b64JsonNotBase64_isARetryableInvalidAnswer() {
    assertThatThrownBy(() -> OpenAiAnswers.parse(bytes("{\"data\":[{\"b64_json\":\"aGVsbG8=\"},"
        + "{\"b64_json\":\"not base64!\"}]}"), List.of()))
        .isInstanceOfSatisfying(UpstreamException.class, e -> {
          assertThat(e.kind()).isEqualTo(UpstreamException.Kind.RETRYABLE);
          assertThat(e.getMessage()).contains("image 1").contains("base64");
        });
  }

  @Test
  void parse_escapedB64JsonThatIsNotBase64_isRefusedToo() {
    assertThatThrownBy(() -> OpenAiAnswers.parse(bytes("{\"data\":[{\"b64_json\":\"aGVs\\u0021bG8=\"}]}"),
        List.of())).isInstanceOf(UpstreamException.class).hasMessageContaining("base64");
  }

  @Test
  void parse_notJson_saysSoInOneScrubbedLine() {
    String key = "sk-secret-upstream-key-123456";
    assertThatThrownBy(() -> OpenAiAnswers.parse(bytes(key + " <html>"), List.of(key)))
        .isInstanceOfSatisfying(UpstreamException.class, e -> {
          assertThat(e.kind()).isEqualTo(UpstreamException.Kind.RETRYABLE);
          assertThat(e.getMessage()).contains("not valid JSON").doesNotContain("\n").doesNotContain("Source")
              .doesNotContain(key).doesNotContain("secret-upstream");
        });
  }
}
