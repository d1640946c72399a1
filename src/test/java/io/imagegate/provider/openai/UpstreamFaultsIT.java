package io.imagegate.provider.openai;

import static io.imagegate.provider.openai.RoutingDefaults.KEY;
import static io.imagegate.provider.openai.RoutingDefaults.RETRY;
import static io.imagegate.testing.Answers.assertError;
import static io.imagegate.testing.Answers.assertOk;
import static io.imagegate.testing.Answers.b64;
import static io.imagegate.testing.Answers.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Upstream faults over real HTTP: headers and bodies slower than the answer timeout, resets mid-body, invalid
 * answers and 200s holding errors. Every route has a deployment of its own, so that tests do not share
 * upstream state.
 */
class UpstreamFaultsIT {
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        slow: {provider: openai, base_url: "{{slow}}", api_key: %1$s, timeouts: {answer_seconds: 1}}
        slowbody: {provider: openai, base_url: "{{slowbody}}", api_key: %1$s, timeouts: {answer_seconds: 1}}
        reset: {provider: openai, base_url: "{{reset}}", api_key: %1$s}
        invalid: {provider: openai, base_url: "{{invalid}}", api_key: %1$s}
        err200: {provider: openai, base_url: "{{err200}}", api_key: %1$s}
      routes:
        slow: {deployments: [slow], rules: gpt-image-2}
        slow-body: {deployments: [slowbody], rules: gpt-image-2}
        reset: {deployments: [reset], rules: gpt-image-2}
        invalid: {deployments: [invalid], rules: gpt-image-2}
        err200: {deployments: [err200], rules: gpt-image-2}
      %2$s""".formatted(KEY, RETRY));
  private static final FakeUpstream slowHeaders = GATEWAY.upstream("slow"),
      slowBody = GATEWAY.upstream("slowbody"), reset = GATEWAY.upstream("reset"),
      invalid = GATEWAY.upstream("invalid"), err200 = GATEWAY.upstream("err200");

  @Test
  void generate_upstreamHeadersSlowerThanAnswerTimeout_answers504AfterBoundedAttempts() {
    for (int i = 0; i < 3; i++) {
      slowHeaders.enqueue(UpstreamReplies.image(TestImages.png(8, 8)).setHeadersDelay(3, TimeUnit.SECONDS));
    }

    long start = System.nanoTime();
    Http.Answer answer = GATEWAY.generate("slow");
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertError(answer, 504, "upstream_error", "upstream_timeout");
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("slow:timeout,slow:timeout,slow:timeout");
    assertThat(slowHeaders.callCount()).isEqualTo(3);
    // three attempts of 1 s each, not three of the upstream's 3 s
    assertThat(elapsedMs).isBetween(2900L, 6000L);
  }

  @Test
  void generate_upstreamBodySlowerThanAnswerTimeout_answers504() {
    // headers at once, then ~350 bytes at 10 bytes per 100 ms: about 3.5 s for the whole body
    for (int i = 0; i < 3; i++) {
      slowBody.enqueue(UpstreamReplies.image(TestImages.png(8, 8)).throttleBody(10, 100, TimeUnit.MILLISECONDS));
    }

    long start = System.nanoTime();
    Http.Answer answer = GATEWAY.generate("slow-body");
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(answer.status()).isEqualTo(504);
    assertThat(answer.error().get("code").asText()).isEqualTo("upstream_timeout");
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("slowbody:timeout,slowbody:timeout,slowbody:timeout");
    assertThat(elapsedMs).isBetween(2900L, 6000L);
  }

  @Test
  void generate_upstreamResetMidBody_isRetriedAndSucceeds() {
    MockResponse cut = UpstreamReplies.image(TestImages.png(64, 64))
        .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY);

    Http.Answer answer = retriedOnceThenImage(reset, "reset", cut, TestImages.png(10, 10));

    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("reset:retryable,reset:200");
  }

  @Test
  void generate_upstreamInvalidJsonOnce_isRetriedAndSucceeds() {
    retriedOnceThenImage(invalid, "invalid", UpstreamReplies.json(200, "{\"created\":1,\"data\":[{\"b64_json\": oops"),
        TestImages.png(10, 10));
  }

  @Test
  void generate_upstreamAlwaysInvalidJson_answers502WithAClearMessage() {
    Http.Answer answer = failingThrice(invalid, "invalid", "<html>Bad gateway</html>");

    String message = assertError(answer, 502, "upstream_error", "upstream_error");
    assertThat(message).contains("'invalid'").contains("3 attempts").contains("not valid JSON")
        .doesNotContain("\n").doesNotContain("Source:").doesNotContain("StreamReadFeature")
        .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("..");
  }

  @Test
  void generate_upstreamB64JsonNotBase64_isRetriedThen502AndNeverRelayed() {
    Http.Answer answer = failingThrice(invalid, "invalid", "{\"created\":1,\"data\":[{\"b64_json\":"
        + "\"this is not base64!\"}],\"size\":\"1024x1024\",\"quality\":\"low\",\"output_format\":\"png\"}");

    assertThat(answer.status()).as(text(answer)).isEqualTo(502);
    assertThat(answer.error().get("code").asText()).isEqualTo("upstream_error");
    assertThat(answer.error().get("message").asText()).contains("base64");
  }

  @Test
  void generate_upstreamB64JsonNotBase64Once_isRetriedAndSucceeds() {
    retriedOnceThenImage(invalid, "invalid", UpstreamReplies.json(200,
        "{\"created\":1,\"data\":[{\"b64_json\":\"iVBORw0KGgo=!!\"}],\"size\":\"1024x1024\"}"), TestImages.png(10, 10));
  }

  @Test
  void generate_upstream200HoldingAnError_isAFailure() {
    Http.Answer answer = failingThrice(err200, "err200", "{\"error\":{\"message\":\"The server had an error while"
        + " processing your request.\",\"type\":\"server_error\",\"code\":null,\"param\":null}}");

    assertThat(answer.status()).isEqualTo(502);
    assertThat(answer.error().get("code").asText()).isEqualTo("upstream_error");
    assertThat(answer.error().get("message").asText()).contains("The server had an error while processing")
        .doesNotContain("..");
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("err200:retryable,err200:retryable,err200:retryable");
  }

  @Test
  void generate_upstream200HoldingAnErrorThenImage_isRetriedAndSucceeds() {
    retriedOnceThenImage(err200, "err200",
        UpstreamReplies.json(200, "{\"error\":{\"message\":\"transient\",\"type\":\"server_error\"}}"),
        TestImages.png(11, 11));
  }

  /** The upstream answers 200 with this body to each of the three attempts, which all take place. */
  private static Http.Answer failingThrice(FakeUpstream upstream, String route, String body) {
    for (int i = 0; i < 3; i++) upstream.enqueue(UpstreamReplies.json(200, body));

    Http.Answer answer = GATEWAY.generate(route);

    assertThat(upstream.callCount()).isEqualTo(3);
    return answer;
  }

  /** The upstream answers {@code first}, then an image: the gateway retries once and answers that image. */
  private static Http.Answer retriedOnceThenImage(FakeUpstream upstream, String route, MockResponse first,
      byte[] drawn) {
    upstream.enqueue(first, UpstreamReplies.image(drawn));

    Http.Answer answer = GATEWAY.generate(route);

    assertOk(answer);
    assertThat(b64(answer.json(), 0)).isEqualTo(drawn);
    assertThat(upstream.callCount()).isEqualTo(2);
    return answer;
  }
}
