package io.imagegate.provider.automatic1111;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.provider.UpstreamException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Automatic1111AnswersTest {
  private static final HttpHeaders NONE = HttpHeaders.of(Map.of(), (a, b) -> true);

  private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  private static String b64(String s) { return Base64.getEncoder().encodeToString(utf8(s)); }

  @Test
  void images_takesEachEntry_stripsADataPrefix() {
    List<byte[]> images = Automatic1111Answers.images(utf8("{\"images\":[\"" + b64("one") + "\",\"data:image/png;base64,"
        + b64("two") + "\"],\"parameters\":{},\"info\":\"{}\"}"), 2);
    assertThat(images).extracting(b -> new String(b, StandardCharsets.UTF_8)).containsExactly("one", "two");
  }

  @Test
  void images_oneMoreThanAsked_theLeadingGridIsDropped_butNotForOneImage() {
    assertThat(Automatic1111Answers.images(utf8("{\"images\":[\"" + b64("grid") + "\",\"" + b64("a") + "\",\""
        + b64("b") + "\"]}"), 2)).extracting(b -> new String(b, StandardCharsets.UTF_8)).containsExactly("a", "b");
    assertThat(Automatic1111Answers.images(utf8("{\"images\":[\"" + b64("a") + "\",\"" + b64("b") + "\"]}"), 1))
        .extracting(b -> new String(b, StandardCharsets.UTF_8)).containsExactly("a");
  }

  @Test
  void images_fewerThanAskedOrNoneOrNotJson_isARetryableInvalidAnswer() {
    for (String body : List.of("{\"images\":[\"" + b64("a") + "\"]}", "{\"images\":[]}", "{}", "<html>", "[1]",
        "{\"images\":[\"@@not base64@@\"]}")) {
      assertThatThrownBy(() -> Automatic1111Answers.images(utf8(body), 2)).as(body)
          .isInstanceOfSatisfying(UpstreamException.class,
              e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.RETRYABLE))
          .hasMessageContaining("not a valid A1111 answer");
    }
  }

  @Test
  void preview_currentImageOrNullBeforeTheFirst() {
    assertThat(Automatic1111Answers.preview(utf8("{\"progress\":0.5,\"current_image\":\"" + b64("p") + "\"}")))
        .isEqualTo(utf8("p"));
    assertThat(Automatic1111Answers.preview(utf8("{\"progress\":0.0,\"current_image\":null}"))).isNull();
    assertThat(Automatic1111Answers.preview(utf8("{\"progress\":0.0}"))).isNull();
  }

  @Test
  void error_statusesMapToKinds_withTheErrorAndItsDetail() {
    UpstreamException v = Automatic1111Answers.error(422, NONE, utf8("{\"error\":\"HTTPException\","
        + "\"detail\":\"Sampler not found\",\"body\":\"\",\"errors\":\"\"}"), List.of());
    assertThat(v.kind()).isEqualTo(UpstreamException.Kind.REFUSED);
    assertThat(v.type()).isEqualTo("invalid_request_error");
    assertThat(v.getMessage()).contains("HTTP 422").contains("HTTPException: Sampler not found");

    UpstreamException oom = Automatic1111Answers.error(500, NONE, utf8("{\"error\":\"OutOfMemoryError\",\"detail\":\"\","
        + "\"body\":\"\",\"errors\":\"CUDA out of memory\"}"), List.of());
    assertThat(oom.kind()).isEqualTo(UpstreamException.Kind.RETRYABLE);
    assertThat(oom.getMessage()).contains("OutOfMemoryError: CUDA out of memory");

    assertThat(Automatic1111Answers.error(401, NONE, utf8("{\"detail\":\"Incorrect username or password\"}"), List.of())
        .kind()).isEqualTo(UpstreamException.Kind.CREDENTIALS);
    assertThat(Automatic1111Answers.error(404, NONE, utf8("{\"detail\":\"Not Found\"}"), List.of()).kind())
        .as("no --api: another deployment").isEqualTo(UpstreamException.Kind.CREDENTIALS);
    assertThat(Automatic1111Answers.error(503, NONE, utf8("gateway down"), List.of()).kind())
        .isEqualTo(UpstreamException.Kind.RETRYABLE);
  }

  @Test
  void error_secretsAreScrubbedFromTheMessage() {
    UpstreamException e = Automatic1111Answers.error(500, NONE,
        utf8("{\"error\":\"RuntimeError\",\"detail\":\"bad auth artist:hunter22 in hunter22\"}"),
        List.of("artist:hunter22", "hunter22"));
    assertThat(e.getMessage()).doesNotContain("hunter22").contains("***");
  }
}
