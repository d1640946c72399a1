package io.imagegate.provider.openai;

import static io.imagegate.provider.openai.RoutingDefaults.KEY;
import static io.imagegate.provider.openai.RoutingDefaults.RETRY;
import static io.imagegate.testing.Answers.assertError;
import static io.imagegate.testing.Answers.assertOk;
import static io.imagegate.testing.Answers.b64;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.GatewayYaml;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Upstream routing over real HTTP: retry hints ({@code retry-after-ms}, {@code retry-after}), retries,
 * {@code x-should-retry}, fallback by priority, {@code max_concurrent} and the total deadline. Every route
 * has deployments of its own, so that tests do not share upstream state.
 */
class RetryFallbackIT {
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        ra: {provider: openai, base_url: "{{ra}}", api_key: %1$s}
        fa: {provider: openai, base_url: "{{fa}}", api_key: %1$s, priority: 0}
        fb: {provider: openai, base_url: "{{fb}}", api_key: %1$s, priority: 1}
        nr-a: {provider: openai, base_url: "{{nr-a}}", api_key: %1$s}
        nr-b: {provider: openai, base_url: "{{nr-b}}", api_key: %1$s, priority: 1}
        single: {provider: openai, base_url: "{{single}}", api_key: %1$s, max_concurrent: 1}
      routes:
        retry-after: {deployments: [ra], rules: gpt-image-2}
        fallback: {deployments: [fb, fa], rules: gpt-image-2}
        no-retry: {deployments: [nr-a, nr-b], rules: gpt-image-2}
        single: {deployments: [single], rules: gpt-image-2}
      %2$s""".formatted(KEY, RETRY));
  private static final FakeUpstream retryAfter = GATEWAY.upstream("ra"), fallbackA = GATEWAY.upstream("fa"),
      fallbackB = GATEWAY.upstream("fb"), noRetryA = GATEWAY.upstream("nr-a"), noRetryB = GATEWAY.upstream("nr-b"),
      single = GATEWAY.upstream("single");

  @Test
  void generate_upstream429WithRetryAfterMs_retriesAfterTheHintThenSucceeds() {
    byte[] drawn = TestImages.png(8, 8);
    retryAfter.enqueue(UpstreamReplies.error(429, "requests", "rate_limit_exceeded", "Slow down.")
        .setHeader("retry-after-ms", "200"), UpstreamReplies.image(drawn));

    Http.Answer answer = GATEWAY.generate("retry-after");

    assertOk(answer);
    assertThat(b64(answer.json(), 0)).isEqualTo(drawn);
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("ra:429,ra:200");
    List<FakeUpstream.Call> calls = retryAfter.calls();
    assertThat(calls).hasSize(2);
    long gapMs = (calls.get(1).arrivedNanos() - calls.get(0).arrivedNanos()) / 1_000_000;
    assertThat(gapMs).as("wait between the 429 and the retry").isBetween(180L, 1500L);
    // the retry is the same request again
    assertThat(calls.get(1).body()).isEqualTo(calls.get(0).body());
  }

  @Test
  void generate_upstream429WithRetryAfterSeconds_waitsThatLong() {
    retryAfter.enqueue(UpstreamReplies.error(429, "requests", "rate_limit_exceeded", "Slow down.")
        .setHeader("retry-after", "1"), UpstreamReplies.image(TestImages.png(8, 8)));

    Http.Answer answer = GATEWAY.generate("retry-after");

    assertOk(answer);
    List<FakeUpstream.Call> calls = retryAfter.calls();
    assertThat(calls).hasSize(2);
    long gapMs = (calls.get(1).arrivedNanos() - calls.get(0).arrivedNanos()) / 1_000_000;
    assertThat(gapMs).isBetween(950L, 2500L);
  }

  @Test
  void generate_upstream503ThreeTimes_fallsBackToTheNextPriority() {
    byte[] drawn = TestImages.png(9, 9);
    fallbackA.enqueue(UpstreamReplies.error(503, "server_error", null, "Overloaded."),
        UpstreamReplies.error(503, "server_error", null, "Overloaded."),
        UpstreamReplies.error(503, "server_error", null, "Overloaded."));
    fallbackB.enqueue(UpstreamReplies.image(drawn));

    Http.Answer answer = GATEWAY.generate("fallback");

    assertOk(answer);
    assertThat(b64(answer.json(), 0)).isEqualTo(drawn);
    assertThat(answer.header("x-imagegate-provider")).isEqualTo("openai");
    assertThat(answer.header("x-imagegate-deployment")).isEqualTo("fb");
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("fa:503,fa:503,fa:503,fb:200");
    assertThat(fallbackA.callCount()).isEqualTo(3);
    assertThat(fallbackB.callCount()).isEqualTo(1);
    assertThat(fallbackB.take().path()).isEqualTo("/v1/images/generations");
  }

  @Test
  void generate_everyDeploymentFails_answers502WithTheAttempts() {
    for (int i = 0; i < 3; i++) fallbackA.enqueue(UpstreamReplies.error(500, "server_error", null, "Boom A."));
    for (int i = 0; i < 3; i++) fallbackB.enqueue(UpstreamReplies.error(502, "server_error", null, "Boom B."));

    Http.Answer answer = GATEWAY.generate("fallback");

    assertThat(assertError(answer, 502, "upstream_error", "upstream_error")).contains("Boom B.");
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("fa:500,fa:500,fa:500,fb:502,fb:502,fb:502");
    assertThat(fallbackA.callCount()).isEqualTo(3);
    assertThat(fallbackB.callCount()).isEqualTo(3);
  }

  @Test
  void generate_upstream503WithShouldRetryFalse_isNotRetriedOnThatDeployment() {
    noRetryA.enqueue(UpstreamReplies.error(503, "server_error", null, "Gone for now.")
        .setHeader("x-should-retry", "false"), UpstreamReplies.image(TestImages.png(8, 8)));
    noRetryB.enqueue(UpstreamReplies.image(TestImages.png(7, 7)));

    Http.Answer answer = GATEWAY.generate("no-retry");

    assertOk(answer);
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("nr-a:503,nr-b:200");
    assertThat(noRetryA.callCount()).isEqualTo(1);
    assertThat(noRetryB.callCount()).isEqualTo(1);
  }

  @Test
  void generate_upstream401OnFirstDeployment_fallsBackWithoutRetryingIt() {
    fallbackA.enqueue(UpstreamReplies.error(401, "invalid_request_error", "invalid_api_key", "Bad key."),
        UpstreamReplies.image(TestImages.png(8, 8)));
    fallbackB.enqueue(UpstreamReplies.image(TestImages.png(9, 9)));

    Http.Answer answer = GATEWAY.generate("fallback");

    assertOk(answer);
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("fa:401,fb:200");
    assertThat(fallbackA.callCount()).isEqualTo(1);
  }

  @Test
  void generate_deploymentWithMaxConcurrentOne_sendsOneCallAtATime() throws Exception {
    for (int i = 0; i < 2; i++) {
      single.enqueue(UpstreamReplies.image(TestImages.png(8, 8)).setHeadersDelay(400, TimeUnit.MILLISECONDS));
    }

    var pool = Executors.newVirtualThreadPerTaskExecutor();
    try (pool) {
      var first = pool.submit(() -> GATEWAY.generate("single"));
      var second = pool.submit(() -> GATEWAY.generate("single"));
      assertOk(first.get(10, TimeUnit.SECONDS));
      assertOk(second.get(10, TimeUnit.SECONDS));
    }

    List<FakeUpstream.Call> calls = single.calls();
    assertThat(calls).hasSize(2);
    long gapMs = (calls.get(1).arrivedNanos() - calls.get(0).arrivedNanos()) / 1_000_000;
    assertThat(gapMs).as("the second call waits for the first one's answer").isGreaterThanOrEqualTo(350);
  }

  @Test
  void generate_totalDeadlineShorterThanAnswerTimeout_cutsTheAttemptAt504() {
    try (FakeUpstream slowOne = new FakeUpstream();
        RunningGateway bounded = GatewayYaml.start("""
            deployments:
              patient:
                provider: openai
                base_url: %s
                api_key: %s
                timeouts: {answer_seconds: 5}
            routes:
              gpt-image-2: {deployments: [patient]}
            retry: {max_attempts: 3, base_delay_ms: 10, total_deadline_seconds: 1}
            """.formatted(slowOne.baseUrl(), KEY))) {
      slowOne.enqueue(UpstreamReplies.image(TestImages.png(8, 8)).setHeadersDelay(2, TimeUnit.SECONDS));

      long start = System.nanoTime();
      Http.Answer answer = Http.postJson(bounded.url("/v1/images/generations"), RunningGateway.MASTER_KEY,
          "{\"prompt\":\"a cat\",\"size\":\"1024x1024\",\"quality\":\"low\"}");
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;

      assertThat(answer.status()).isEqualTo(504);
      assertThat(answer.error().get("code").asText()).isEqualTo("upstream_timeout");
      assertThat(answer.error().get("message").asText()).contains("deadline");
      assertThat(answer.header("x-imagegate-attempts")).isEqualTo("patient:timeout");
      // total_deadline_seconds: 1 bounds the request, not the deployment's 5 s or the upstream's 2 s
      assertThat(elapsedMs).isBetween(900L, 1800L);
      assertThat(slowOne.callCount()).isEqualTo(1);
    }
  }
}
