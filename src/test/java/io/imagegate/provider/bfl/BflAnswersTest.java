package io.imagegate.provider.bfl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.imagegate.config.Capabilities;
import io.imagegate.config.DeploymentConfig;
import io.imagegate.provider.UpstreamException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** BFL's submit and poll answers and its error statuses as read; the hosts a polling URL may be on. */
class BflAnswersTest {
  private static final List<String> SECRETS = List.of("bfl-secret-key");

  private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  private static HttpHeaders headers(Map<String, List<String>> map) { return HttpHeaders.of(map, (k, v) -> true); }

  @Test
  void submitted_readsThePollingUrlAndTheCredits() {
    BflAnswers.Submitted task = BflAnswers.submitted(utf8(
        "{\"id\":\"t1\",\"polling_url\":\"https://api.us1.bfl.ai/v1/get_result?id=t1\",\"cost\":4.5,\"output_mp\":1.0}"));
    assertThat(task.id()).isEqualTo("t1");
    assertThat(task.pollingUrl()).isEqualTo("https://api.us1.bfl.ai/v1/get_result?id=t1");
    assertThat(task.credits()).isEqualTo(4.5);
  }

  @Test
  void submitted_withoutPollingUrl_isRetryable() {
    UpstreamException e = catchThrowableOfType(UpstreamException.class,
        () -> BflAnswers.submitted(utf8("{\"id\":\"t1\"}")));
    assertThat(e.kind()).isEqualTo(UpstreamException.Kind.RETRYABLE);
    assertThat(e.getMessage()).contains("polling_url");
  }

  @Test
  void polled_readyPendingAndOtherQueueWords() {
    BflAnswers.Polled ready = BflAnswers.polled(utf8("{\"status\":\"Ready\",\"result\":{\"sample\":\"https://x/s.png\"}}"), SECRETS);
    assertThat(ready.ready()).isTrue();
    assertThat(ready.sample()).isEqualTo("https://x/s.png");
    assertThat(BflAnswers.polled(utf8("{\"status\":\"Pending\",\"result\":null}"), SECRETS).ready()).isFalse();
    assertThat(BflAnswers.polled(utf8("{\"status\":\"Processing\"}"), SECRETS).ready()).as("not yet").isFalse();
    assertThatThrownBy(() -> BflAnswers.polled(utf8("{\"status\":\"Ready\",\"result\":{}}"), SECRETS))
        .isInstanceOf(UpstreamException.class).hasMessageContaining("result.sample");
  }

  @Test
  void polled_moderatedStatuses_areModerationBlocked() {
    for (String status : List.of("Content Moderated", "Request Moderated")) {
      UpstreamException e = catchThrowableOfType(UpstreamException.class, () -> BflAnswers.polled(
          utf8("{\"status\":\"" + status + "\",\"details\":{\"Moderation Reasons\":[\"x\"]}}"), SECRETS));
      assertThat(e.kind()).isEqualTo(UpstreamException.Kind.REFUSED);
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.code()).isEqualTo("moderation_blocked");
      assertThat(e.getMessage()).contains(status).contains("Moderation Reasons");
    }
  }

  @Test
  void polled_failedStatuses_areUpstreamErrorsNotRetriedHere() {
    for (String status : List.of("Error", "Failed", "Task not found")) {
      UpstreamException e = catchThrowableOfType(UpstreamException.class,
          () -> BflAnswers.polled(utf8("{\"status\":\"" + status + "\"}"), SECRETS));
      assertThat(e.kind()).isEqualTo(UpstreamException.Kind.RETRYABLE);
      assertThat(e.shouldRetry()).as("a retry would be a new paid task").isFalse();
      assertThat(e.getMessage()).contains(status);
    }
  }

  @Test
  void error_statusesByKind_withRetryAfterAndTheKeyScrubbed() {
    HttpHeaders none = headers(Map.of());
    assertThat(BflAnswers.error(401, none, utf8("{\"detail\":\"Unauthorized\"}"), SECRETS).kind())
        .isEqualTo(UpstreamException.Kind.CREDENTIALS);
    assertThat(BflAnswers.error(402, none, utf8("{\"detail\":\"Insufficient credits\"}"), SECRETS).kind())
        .as("no credits: another deployment may have some").isEqualTo(UpstreamException.Kind.CREDENTIALS);
    UpstreamException busy = BflAnswers.error(429, headers(Map.of("retry-after", List.of("3"))),
        utf8("{\"detail\":\"too many active tasks\"}"), SECRETS);
    assertThat(busy.kind()).isEqualTo(UpstreamException.Kind.RETRYABLE);
    assertThat(busy.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(BflAnswers.error(503, none, utf8("not json"), SECRETS).kind()).isEqualTo(UpstreamException.Kind.RETRYABLE);
    UpstreamException invalid = BflAnswers.error(422, none,
        utf8("{\"detail\":[{\"loc\":[\"body\",\"width\"],\"msg\":\"bad for bfl-secret-key\"}]}"), SECRETS);
    assertThat(invalid.kind()).isEqualTo(UpstreamException.Kind.REFUSED);
    assertThat(invalid.getMessage()).contains("width").doesNotContain("bfl-secret-key").contains("***");
  }

  @Test
  void polling_isFollowedOnlyOnTheDeploymentsHostOrBfl() {
    BflEndpoints endpoints = new BflEndpoints(new DeploymentConfig("d", "bfl", URI.create("https://api.eu.bfl.ai"),
        "k", null, Map.of(), new Capabilities(List.of(), false, true, false, false, 4), Duration.ofSeconds(5),
        Duration.ofSeconds(60), 1, 0, 0));
    assertThat(endpoints.submit("flux-2-pro")).isEqualTo(URI.create("https://api.eu.bfl.ai/v1/flux-2-pro"));
    assertThat(endpoints.polling("https://api.eu.bfl.ai/v1/get_result?id=1").getHost()).isEqualTo("api.eu.bfl.ai");
    assertThat(endpoints.polling("https://api.us1.bfl.ai/v1/get_result?id=1").getHost()).isEqualTo("api.us1.bfl.ai");
    for (String elsewhere : List.of("https://evil.example/v1/get_result", "https://bfl.ai.evil.example/x",
        "file:///etc/passwd", "not a url")) {
      assertThatThrownBy(() -> endpoints.polling(elsewhere)).as(elsewhere).isInstanceOf(UpstreamException.class);
    }
  }
}
