package io.imagegate.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.provider.UpstreamException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The answer parser hands each image's base64 on as a slice of the upstream's bytes, without copying it. */
class OpenAiAnswersSliceTest {

  private static byte[] json(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  @Test
  void parse_plainBase64_isASliceOfTheAnswerBytes() {
    byte[] body = json("{\"created\":1,\"data\":[{\"b64_json\":\"aGVsbG8=\"},{\"revised_prompt\":\"x\",\"b64_json\":\"d29ybGQ=\"}],"
        + "\"size\":\"1024x1024\",\"usage\":{\"input_tokens\":3,\"output_tokens\":5,\"total_tokens\":8}}");
    OpenAiAnswers.Parsed parsed = OpenAiAnswers.parse(body, List.of());
    assertThat(parsed.items()).hasSize(2);
    assertThat(parsed.items().get(0).buffer()).isSameAs(body);
    assertThat(new String(parsed.items().get(0).base64(), StandardCharsets.US_ASCII)).isEqualTo("aGVsbG8=");
    assertThat(new String(parsed.items().get(1).base64(), StandardCharsets.US_ASCII)).isEqualTo("d29ybGQ=");
    assertThat(parsed.size()).isEqualTo("1024x1024");
    assertThat(parsed.usage().imageOut()).isEqualTo(5);
  }

  @Test
  void parse_escapedBase64_isDecodedAndCleaned() {
    byte[] body = json("{\"data\":[{\"b64_json\":\"aGVs\\nbG8\\u003d\"}]}");
    OpenAiAnswers.Item item = OpenAiAnswers.parse(body, List.of()).items().get(0);
    assertThat(item.buffer()).isNotSameAs(body);
    assertThat(new String(item.base64(), StandardCharsets.US_ASCII)).isEqualTo("aGVsbG8=");
  }

  @Test
  void parse_errorObjectIn200_isRetryableFailure() {
    assertThatThrownBy(() -> OpenAiAnswers.parse(json("{\"error\":{\"message\":\"boom\"}}"), List.of()))
        .isInstanceOfSatisfying(UpstreamException.class,
            e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.RETRYABLE));
  }
}
