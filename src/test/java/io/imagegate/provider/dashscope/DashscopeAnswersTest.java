package io.imagegate.provider.dashscope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.imagegate.provider.UpstreamException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashscopeAnswersTest {
  private static final String KEY = "sk-0123456789abcdef";
  private static final HttpHeaders NONE = HttpHeaders.of(Map.of(), (a, b) -> true);

  private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  @Test
  void image_takesTheFirstImagePartOfTheChoices() {
    String body = """
        {"output":{"choices":[{"message":{"content":[{"text":"here"},{"image":"https://oss.example/a.png"}]}}]},
         "usage":{"image_count":1}}""";
    assertThat(DashscopeAnswers.image(b(body), List.of())).isEqualTo("https://oss.example/a.png");
  }

  @Test
  void image_withoutAnImagePart_isARetryableUpstreamError() {
    UpstreamException e = catchThrowableOfType(UpstreamException.class,
        () -> DashscopeAnswers.image(b("{\"output\":{\"choices\":[]}}"), List.of()));
    assertThat(e.kind()).isEqualTo(UpstreamException.Kind.RETRYABLE);
    assertThat(e.getMessage()).contains("no output.choices");
  }

  @Test
  void image_moderationCodeInA200_isModerationBlocked() {
    UpstreamException e = catchThrowableOfType(UpstreamException.class, () -> DashscopeAnswers.image(
        b("{\"code\":\"DataInspectionFailed\",\"message\":\"Output data may contain inappropriate content.\"}"), List.of()));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.code()).isEqualTo("moderation_blocked");
  }

  @Test
  void polled_statusesMapToWaitReadyModeratedOrFailed() {
    assertThat(DashscopeAnswers.polled(b("{\"output\":{\"task_status\":\"RUNNING\"}}"), List.of()).ready()).isFalse();
    DashscopeAnswers.Polled ready = DashscopeAnswers.polled(b(
        "{\"output\":{\"task_status\":\"SUCCEEDED\",\"results\":[{\"code\":\"DataInspectionFailed\"},{\"url\":\"u2\"}]}}"),
        List.of());
    assertThat(ready.url()).as("an image that came beats one withheld").isEqualTo("u2");
    UpstreamException moderated = catchThrowableOfType(UpstreamException.class, () -> DashscopeAnswers.polled(b(
        "{\"output\":{\"task_status\":\"SUCCEEDED\",\"results\":[{\"code\":\"DataInspectionFailed\",\"message\":\"m\"}]}}"),
        List.of()));
    assertThat(moderated.code()).isEqualTo("moderation_blocked");
    UpstreamException failed = catchThrowableOfType(UpstreamException.class, () -> DashscopeAnswers.polled(b(
        "{\"output\":{\"task_status\":\"FAILED\",\"code\":\"InternalError\",\"message\":\"boom\"}}"), List.of()));
    assertThat(failed.kind()).isEqualTo(UpstreamException.Kind.RETRYABLE);
    assertThat(failed.shouldRetry()).as("a retry would be a new paid task").isFalse();
    assertThat(failed.getMessage()).contains("FAILED").contains("InternalError");
    UpstreamException failedModerated = catchThrowableOfType(UpstreamException.class, () -> DashscopeAnswers.polled(
        b("{\"output\":{\"task_status\":\"FAILED\",\"code\":\"IPInfringementSuspect\"}}"), List.of()));
    assertThat(failedModerated.code()).isEqualTo("moderation_blocked");
    assertThatThrownBy(() -> DashscopeAnswers.polled(b("{\"output\":{}}"), List.of()))
        .hasMessageContaining("no output.task_status");
  }

  @Test
  void taskId_isRequired() {
    assertThat(DashscopeAnswers.taskId(b("{\"output\":{\"task_id\":\"abc-1\",\"task_status\":\"PENDING\"}}")))
        .isEqualTo("abc-1");
    assertThatThrownBy(() -> DashscopeAnswers.taskId(b("{\"output\":{}}"))).hasMessageContaining("task_id");
  }

  @Test
  void error_kindsByStatusAndCode() {
    assertThat(kind(400, "InvalidParameter")).isEqualTo(UpstreamException.Kind.REFUSED);
    assertThat(kind(401, "InvalidApiKey")).isEqualTo(UpstreamException.Kind.CREDENTIALS);
    assertThat(kind(400, "Arrearage")).isEqualTo(UpstreamException.Kind.CREDENTIALS);
    assertThat(kind(429, "Throttling.RateQuota")).isEqualTo(UpstreamException.Kind.RETRYABLE);
    assertThat(kind(400, "Throttling.AllocationQuota")).isEqualTo(UpstreamException.Kind.RETRYABLE);
    assertThat(kind(500, "InternalError")).isEqualTo(UpstreamException.Kind.RETRYABLE);
    assertThat(kind(503, "ServiceUnavailable")).isEqualTo(UpstreamException.Kind.RETRYABLE);
    UpstreamException moderated = DashscopeAnswers.error(400, NONE,
        b("{\"code\":\"DataInspectionFailed\",\"message\":\"Input data may contain inappropriate content.\"}"), List.of());
    assertThat(moderated.kind()).isEqualTo(UpstreamException.Kind.REFUSED);
    assertThat(moderated.status()).isEqualTo(400);
    assertThat(moderated.type()).isEqualTo("image_generation_user_error");
    assertThat(moderated.code()).isEqualTo("moderation_blocked");
  }

  @Test
  void error_scrubsTheKeyAndReadsRetryAfter() {
    HttpHeaders retry = HttpHeaders.of(Map.of("retry-after", List.of("3")), (a, b) -> true);
    UpstreamException e = DashscopeAnswers.error(400, retry,
        b("{\"code\":\"InvalidParameter\",\"message\":\"bad key " + KEY + "\"}"), List.of(KEY));
    assertThat(e.getMessage()).doesNotContain(KEY).contains("***").contains("InvalidParameter");
    assertThat(e.code()).isEqualTo("invalid_value");
    assertThat(e.retryAfter()).hasSeconds(3);
    assertThat(DashscopeAnswers.error(502, NONE, b("<html>"), List.of()).getMessage()).contains("HTTP 502");
  }

  private static UpstreamException.Kind kind(int status, String code) {
    return DashscopeAnswers.error(status, NONE, b("{\"code\":\"" + code + "\",\"message\":\"m\"}"), List.of()).kind();
  }
}
