package io.imagegate.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.provider.UpstreamException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Base64 values are cut out of the answer in one pass; everything else reaches the parser as it was. */
class AnswerSkeletonTest {
  private static byte[] json(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  @Test
  void bigImages_areSlicesOfTheBody_andTheRestIsParsed() {
    String a = Base64.getEncoder().encodeToString(new byte[300_001]);
    String b = Base64.getEncoder().encodeToString(new byte[1000]);
    byte[] body = json("{ \"created\" : 1, \"data\" : [ { \"revised_prompt\" : \"b64_json: \\\"quoted\\\"\", \"b64_json\" : \""
        + a + "\" }, {\"b64_json\":\"" + b + "\"} ], \"quality\": \"high\", \"background\":\"opaque\"}");
    OpenAiAnswers.Parsed parsed = OpenAiAnswers.parse(body, List.of());
    assertThat(parsed.items()).hasSize(2);
    assertThat(parsed.items().get(0).buffer()).isSameAs(body);
    assertThat(new String(parsed.items().get(0).base64(), StandardCharsets.US_ASCII)).isEqualTo(a);
    assertThat(new String(parsed.items().get(1).base64(), StandardCharsets.US_ASCII)).isEqualTo(b);
    assertThat(parsed.quality()).isEqualTo("high"); // a 4-letter value of another key is left alone
    assertThat(parsed.background()).isEqualTo("opaque");
  }

  @Test
  void theSkeleton_holdsNoImageBytes() {
    String a = Base64.getEncoder().encodeToString(new byte[30_000]);
    AnswerSkeleton s = AnswerSkeleton.of(json("{\"data\":[{\"b64_json\":\"" + a + "\"}]}"), alphabet());
    assertThat(s.json().length).isLessThan(100);
    assertThat(s.range("#" + "nope:0")).isNull();
  }

  @Test
  void aValueThatIsNotBase64_isRefused_evenWhenItLooksLikeAMarker() {
    assertThatThrownBy(() -> OpenAiAnswers.parse(json("{\"data\":[{\"b64_json\":\"not base64!\"}]}"), List.of()))
        .isInstanceOf(UpstreamException.class).hasMessageContaining("not valid base64");
    assertThatThrownBy(() -> OpenAiAnswers.parse(json("{\"data\":[{\"b64_json\":\"#000000000000:0\"},"
        + "{\"b64_json\":\"aGVsbG8=\"}]}"), List.of()))
        .isInstanceOf(UpstreamException.class).hasMessageContaining("not valid base64");
  }

  @Test
  void aKeyNamedB64JsonInsideAString_isNotTakenForTheKey() {
    byte[] body = json("{\"note\":\"b64_json\",\"data\":[{\"url\":\"https://example.invalid/x.png\"}],"
        + "\"b64_json\":\"abcd\"}");
    AnswerSkeleton s = AnswerSkeleton.of(body, alphabet());
    // The top-level b64_json value is cut (harmless: the parser ignores that key); the note's value is not.
    assertThat(new String(s.json(), StandardCharsets.UTF_8)).contains("\"note\":\"b64_json\"");
  }

  private static boolean[] alphabet() {
    boolean[] t = new boolean[256];
    for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray()) t[c] = true;
    return t;
  }
}
