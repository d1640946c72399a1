package io.imagegate.provider.upstream;

import static io.imagegate.provider.upstream.UpstreamOpenAiIT.assertOk;
import static io.imagegate.provider.upstream.UpstreamOpenAiIT.b64;
import static io.imagegate.provider.upstream.UpstreamOpenAiIT.dataUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayYaml;
import io.imagegate.testing.HangingUpstream;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fault matrix of upstream routing over real HTTP: retry hints, retries, fallback by priority, timeouts
 * of headers and of bodies, resets, invalid answers, 200s holding errors, {@code x-should-retry}, the circuit
 * breaker, streamed relays and clients that hang up. Every route here has deployments of its own, so that
 * tests do not share upstream state.
 */
class RoutingFaultsIT {
  static final String KEY = "sk-routing-faults-upstream-key-0001";

  private static final List<FakeUpstream> UPSTREAMS = new ArrayList<>();
  private static FakeUpstream retryAfter, fallbackA, fallbackB, slowHeaders, slowBody, reset, invalid, err200,
      noRetryA, noRetryB, sse, single;
  private static HangingUpstream hanging;
  private static RunningGateway gateway;

  @BeforeAll
  static void start() {
    retryAfter = upstream();
    fallbackA = upstream();
    fallbackB = upstream();
    slowHeaders = upstream();
    slowBody = upstream();
    reset = upstream();
    invalid = upstream();
    err200 = upstream();
    noRetryA = upstream();
    noRetryB = upstream();
    sse = upstream();
    single = upstream();
    hanging = new HangingUpstream(UpstreamReplies.imageBody(TestImages.png(8, 8), true));
    gateway = GatewayYaml.start("""
        deployments:
          ra:
            provider: openai
            base_url: %s
            api_key: %s
          fa:
            provider: openai
            base_url: %s
            api_key: %s
            priority: 0
          fb:
            provider: openai
            base_url: %s
            api_key: %s
            priority: 1
          slow:
            provider: openai
            base_url: %s
            api_key: %s
            timeouts:
              answer_seconds: 1
          slowbody:
            provider: openai
            base_url: %s
            api_key: %s
            timeouts:
              answer_seconds: 1
          reset:
            provider: openai
            base_url: %s
            api_key: %s
          invalid:
            provider: openai
            base_url: %s
            api_key: %s
          err200:
            provider: openai
            base_url: %s
            api_key: %s
          nr-a:
            provider: openai
            base_url: %s
            api_key: %s
          nr-b:
            provider: openai
            base_url: %s
            api_key: %s
            priority: 1
          sse:
            provider: openai
            base_url: %s
            api_key: %s
          hang:
            provider: openai
            base_url: %s
            api_key: %s
          single:
            provider: openai
            base_url: %s
            api_key: %s
            max_concurrent: 1
        routes:
          retry-after: {deployments: [ra], rules: gpt-image-2}
          fallback: {deployments: [fb, fa], rules: gpt-image-2}
          slow: {deployments: [slow], rules: gpt-image-2}
          slow-body: {deployments: [slowbody], rules: gpt-image-2}
          reset: {deployments: [reset], rules: gpt-image-2}
          invalid: {deployments: [invalid], rules: gpt-image-2}
          err200: {deployments: [err200], rules: gpt-image-2}
          no-retry: {deployments: [nr-a, nr-b], rules: gpt-image-2}
          stream: {deployments: [sse], rules: gpt-image-2}
          hang: {deployments: [hang], rules: gpt-image-2}
          single: {deployments: [single], rules: gpt-image-2}
        retry:
          max_attempts: 3
          base_delay_ms: 10
          max_delay_ms: 2000
          total_deadline_seconds: 30
        circuit_breaker:
          failure_threshold: 1000
        """.formatted(retryAfter.baseUrl(), KEY, fallbackA.baseUrl(), KEY, fallbackB.baseUrl(), KEY,
        slowHeaders.baseUrl(), KEY, slowBody.baseUrl(), KEY, reset.baseUrl(), KEY, invalid.baseUrl(), KEY,
        err200.baseUrl(), KEY, noRetryA.baseUrl(), KEY, noRetryB.baseUrl(), KEY, sse.baseUrl(), KEY,
        hanging.baseUrl(), KEY, single.baseUrl(), KEY));
  }

  private static FakeUpstream upstream() {
    FakeUpstream u = new FakeUpstream();
    UPSTREAMS.add(u);
    return u;
  }

  @AfterAll
  static void stop() {
    if (gateway != null) gateway.close();
    UPSTREAMS.forEach(FakeUpstream::close);
    if (hanging != null) hanging.close();
  }

  @BeforeEach
  void clean() {
    UPSTREAMS.forEach(FakeUpstream::reset);
  }

  // --- retry hints, retries and fallback ---

  @Test
  void generate_upstream429WithRetryAfterMs_retriesAfterTheHintThenSucceeds() {
    byte[] drawn = TestImages.png(8, 8);
    retryAfter.enqueue(UpstreamReplies.error(429, "requests", "rate_limit_exceeded", "Slow down.")
        .setHeader("retry-after-ms", "200"), UpstreamReplies.image(drawn));

    Http.Answer answer = generate("retry-after");

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

    Http.Answer answer = generate("retry-after");

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

    Http.Answer answer = generate("fallback");

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

    Http.Answer answer = generate("fallback");

    assertThat(answer.status()).isEqualTo(502);
    assertThat(answer.error().get("type").asText()).isEqualTo("upstream_error");
    assertThat(answer.error().get("code").asText()).isEqualTo("upstream_error");
    assertThat(answer.error().get("message").asText()).contains("Boom B.");
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("fa:500,fa:500,fa:500,fb:502,fb:502,fb:502");
    assertThat(fallbackA.callCount()).isEqualTo(3);
    assertThat(fallbackB.callCount()).isEqualTo(3);
  }

  @Test
  void generate_upstream503WithShouldRetryFalse_isNotRetriedOnThatDeployment() {
    noRetryA.enqueue(UpstreamReplies.error(503, "server_error", null, "Gone for now.")
        .setHeader("x-should-retry", "false"), UpstreamReplies.image(TestImages.png(8, 8)));
    noRetryB.enqueue(UpstreamReplies.image(TestImages.png(7, 7)));

    Http.Answer answer = generate("no-retry");

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

    Http.Answer answer = generate("fallback");

    assertOk(answer);
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("fa:401,fb:200");
    assertThat(fallbackA.callCount()).isEqualTo(1);
  }

  @Test
  void generate_deploymentWithMaxConcurrentOne_sendsOneCallAtATime() throws Exception {
    for (int i = 0; i < 2; i++) {
      single.enqueue(UpstreamReplies.image(TestImages.png(8, 8)).setHeadersDelay(400, TimeUnit.MILLISECONDS));
    }

    var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    try (pool) {
      var first = pool.submit(() -> generate("single"));
      var second = pool.submit(() -> generate("single"));
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

  // --- timeouts, resets, invalid answers ---

  @Test
  void generate_upstreamHeadersSlowerThanAnswerTimeout_answers504AfterBoundedAttempts() {
    for (int i = 0; i < 3; i++) {
      slowHeaders.enqueue(UpstreamReplies.image(TestImages.png(8, 8)).setHeadersDelay(3, TimeUnit.SECONDS));
    }

    long start = System.nanoTime();
    Http.Answer answer = generate("slow");
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(answer.status()).isEqualTo(504);
    assertThat(answer.error().get("type").asText()).isEqualTo("upstream_error");
    assertThat(answer.error().get("code").asText()).isEqualTo("upstream_timeout");
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
    Http.Answer answer = generate("slow-body");
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(answer.status()).isEqualTo(504);
    assertThat(answer.error().get("code").asText()).isEqualTo("upstream_timeout");
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("slowbody:timeout,slowbody:timeout,slowbody:timeout");
    assertThat(elapsedMs).isBetween(2900L, 6000L);
  }

  @Test
  void generate_upstreamResetMidBody_isRetriedAndSucceeds() {
    byte[] drawn = TestImages.png(10, 10);
    reset.enqueue(UpstreamReplies.image(TestImages.png(64, 64))
        .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY), UpstreamReplies.image(drawn));

    Http.Answer answer = generate("reset");

    assertOk(answer);
    assertThat(b64(answer.json(), 0)).isEqualTo(drawn);
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("reset:retryable,reset:200");
    assertThat(reset.callCount()).isEqualTo(2);
  }

  @Test
  void generate_upstreamInvalidJsonOnce_isRetriedAndSucceeds() {
    byte[] drawn = TestImages.png(10, 10);
    invalid.enqueue(UpstreamReplies.json(200, "{\"created\":1,\"data\":[{\"b64_json\": oops"),
        UpstreamReplies.image(drawn));

    Http.Answer answer = generate("invalid");

    assertOk(answer);
    assertThat(b64(answer.json(), 0)).isEqualTo(drawn);
    assertThat(invalid.callCount()).isEqualTo(2);
  }

  @Test
  void generate_upstreamAlwaysInvalidJson_answers502WithAClearMessage() {
    for (int i = 0; i < 3; i++) invalid.enqueue(UpstreamReplies.json(200, "<html>Bad gateway</html>"));

    Http.Answer answer = generate("invalid");

    assertThat(answer.status()).isEqualTo(502);
    assertThat(answer.error().get("type").asText()).isEqualTo("upstream_error");
    assertThat(answer.error().get("code").asText()).isEqualTo("upstream_error");
    String message = answer.error().get("message").asText();
    assertThat(message).contains("'invalid'").contains("3 attempts").contains("not valid JSON")
        .doesNotContain("\n").doesNotContain("Source:").doesNotContain("StreamReadFeature")
        .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("..");
    assertThat(invalid.callCount()).isEqualTo(3);
  }

  @Test
  void generate_upstreamB64JsonNotBase64_isRetriedThen502AndNeverRelayed() {
    for (int i = 0; i < 3; i++) {
      invalid.enqueue(UpstreamReplies.json(200, "{\"created\":1,\"data\":[{\"b64_json\":\"this is not base64!\"}],"
          + "\"size\":\"1024x1024\",\"quality\":\"low\",\"output_format\":\"png\"}"));
    }

    Http.Answer answer = generate("invalid");

    assertThat(answer.status()).as(new String(answer.raw().body(), StandardCharsets.UTF_8)).isEqualTo(502);
    assertThat(answer.error().get("code").asText()).isEqualTo("upstream_error");
    assertThat(answer.error().get("message").asText()).contains("base64");
    assertThat(invalid.callCount()).isEqualTo(3);
  }

  @Test
  void generate_upstreamB64JsonNotBase64Once_isRetriedAndSucceeds() {
    byte[] drawn = TestImages.png(10, 10);
    invalid.enqueue(UpstreamReplies.json(200, "{\"created\":1,\"data\":[{\"b64_json\":\"iVBORw0KGgo=!!\"}],"
        + "\"size\":\"1024x1024\"}"), UpstreamReplies.image(drawn));

    Http.Answer answer = generate("invalid");

    assertOk(answer);
    assertThat(b64(answer.json(), 0)).isEqualTo(drawn);
    assertThat(invalid.callCount()).isEqualTo(2);
  }

  @Test
  void generate_upstream200HoldingAnError_isAFailure() {
    for (int i = 0; i < 3; i++) {
      err200.enqueue(UpstreamReplies.json(200, "{\"error\":{\"message\":\"The server had an error while"
          + " processing your request.\",\"type\":\"server_error\",\"code\":null,\"param\":null}}"));
    }

    Http.Answer answer = generate("err200");

    assertThat(answer.status()).isEqualTo(502);
    assertThat(answer.error().get("code").asText()).isEqualTo("upstream_error");
    assertThat(answer.error().get("message").asText()).contains("The server had an error while processing")
        .doesNotContain("..");
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("err200:retryable,err200:retryable,err200:retryable");
    assertThat(err200.callCount()).isEqualTo(3);
  }

  @Test
  void generate_upstream200HoldingAnErrorThenImage_isRetriedAndSucceeds() {
    byte[] drawn = TestImages.png(11, 11);
    err200.enqueue(UpstreamReplies.json(200, "{\"error\":{\"message\":\"transient\",\"type\":\"server_error\"}}"),
        UpstreamReplies.image(drawn));

    Http.Answer answer = generate("err200");

    assertOk(answer);
    assertThat(b64(answer.json(), 0)).isEqualTo(drawn);
    assertThat(err200.callCount()).isEqualTo(2);
  }

  // --- circuit breaker (its own gateway: threshold 2, one attempt per deployment) ---

  @Test
  void generate_afterTwoFailures_circuitBreakerSkipsTheDeploymentUntilCoolDown() throws Exception {
    try (FakeUpstream a = new FakeUpstream(); FakeUpstream b = new FakeUpstream();
        RunningGateway breaker = GatewayYaml.start("""
            deployments:
              a: {provider: openai, base_url: %s, api_key: %s, priority: 0}
              b: {provider: openai, base_url: %s, api_key: %s, priority: 1}
            routes:
              gpt-image-2: {deployments: [a, b]}
            retry: {max_attempts: 1, base_delay_ms: 10}
            circuit_breaker: {failure_threshold: 2, cool_down_seconds: 1}
            """.formatted(a.baseUrl(), KEY, b.baseUrl(), KEY))) {
      a.enqueue(UpstreamReplies.error(503, "server_error", null, "down"),
          UpstreamReplies.error(503, "server_error", null, "down"),
          UpstreamReplies.image(TestImages.png(5, 5)), UpstreamReplies.image(TestImages.png(5, 5)));
      for (int i = 0; i < 3; i++) b.enqueue(UpstreamReplies.image(TestImages.png(6, 6)));
      String body = "{\"prompt\":\"a cat\",\"size\":\"1024x1024\",\"quality\":\"low\"}";
      String url = breaker.url("/v1/images/generations");

      Http.Answer first = Http.postJson(url, RunningGateway.MASTER_KEY, body);
      Http.Answer second = Http.postJson(url, RunningGateway.MASTER_KEY, body);
      Http.Answer third = Http.postJson(url, RunningGateway.MASTER_KEY, body);

      assertOk(first);
      assertThat(first.header("x-imagegate-attempts")).isEqualTo("a:503,b:200");
      assertOk(second);
      assertThat(second.header("x-imagegate-attempts")).isEqualTo("a:503,b:200");
      assertOk(third);
      assertThat(third.header("x-imagegate-attempts")).isEqualTo("a:open,b:200");
      assertThat(third.header("x-imagegate-deployment")).isEqualTo("b");
      assertThat(a.callCount()).as("calls to the open deployment").isEqualTo(2);
      assertThat(b.callCount()).isEqualTo(3);

      // after the cool-down one probe goes to a; its success closes the breaker again
      Thread.sleep(1200);
      Http.Answer probe = Http.postJson(url, RunningGateway.MASTER_KEY, body);
      Http.Answer after = Http.postJson(url, RunningGateway.MASTER_KEY, body);
      assertThat(probe.header("x-imagegate-attempts")).isEqualTo("a:200");
      assertThat(after.header("x-imagegate-attempts")).isEqualTo("a:200");
      assertThat(a.callCount()).isEqualTo(4);
      assertThat(b.callCount()).isEqualTo(3);
    }
  }

  // --- streaming ---

  @Test
  void generate_streamFromSlowUpstream_relaysEachEventAsItArrives() throws Exception {
    String pixels = Base64.getEncoder().encodeToString(TestImages.png(8, 8));
    String facts = "\"created_at\":1776847985,\"size\":\"1024x1024\",\"quality\":\"low\",\"background\":\"opaque\","
        + "\"output_format\":\"png\"";
    String body = UpstreamReplies.frame("image_generation.partial_image", "{\"type\":\"image_generation.partial_image\","
            + "\"b64_json\":\"" + pixels + "\"," + facts + ",\"partial_image_index\":0}")
        + UpstreamReplies.frame("image_generation.partial_image", "{\"type\":\"image_generation.partial_image\","
            + "\"b64_json\":\"" + pixels + "\"," + facts + ",\"partial_image_index\":1}")
        + UpstreamReplies.frame("image_generation.completed", "{\"type\":\"image_generation.completed\","
            + "\"b64_json\":\"" + pixels + "\"," + facts + ",\"usage\":" + UpstreamReplies.USAGE + "}");
    int bytes = body.getBytes(StandardCharsets.UTF_8).length;
    long perPeriod = Math.max(1, bytes / 10); // the body comes in 10 slices, one every 100 ms: about 1 s
    sse.enqueue(UpstreamReplies.sse(body).throttleBody(perPeriod, 100, TimeUnit.MILLISECONDS));
    // the upstream cannot have sent its last byte before this many sleeps of 100 ms
    long lastByteNotBeforeMs = ((bytes - 1) / perPeriod) * 100;

    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.url("/v1/images/generations")))
        .header("Authorization", "Bearer " + RunningGateway.MASTER_KEY).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"stream\",\"prompt\":\"a kite\",\"size\":\"1024x1024\","
            + "\"quality\":\"low\",\"stream\":true,\"partial_images\":2}")).build();
    long start = System.nanoTime();
    HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(request,
        HttpResponse.BodyHandlers.ofInputStream());
    StringBuilder received = new StringBuilder();
    List<Long> dataAtMs = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("data:")) dataAtMs.add((System.nanoTime() - start) / 1_000_000);
        received.append(line).append('\n');
      }
    }

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    assertThat(response.headers().firstValue("x-imagegate-provider").orElse(null)).isEqualTo("openai");
    assertThat(response.headers().firstValue("x-imagegate-attempts").orElse(null)).isEqualTo("sse:200");
    assertThat(received.toString()).as("relayed frames").isEqualTo(body);
    assertThat(dataAtMs).hasSize(3);
    assertThat(dataAtMs.get(0)).as("first event received (ms), last byte sent not before " + lastByteNotBeforeMs)
        .isLessThan(lastByteNotBeforeMs - 300);
    assertThat(dataAtMs.get(2) - dataAtMs.get(0)).as("spread of the events at the client (ms)")
        .isGreaterThanOrEqualTo(400);

    FakeUpstream.Call call = sse.take();
    assertThat(call.header("Accept")).isEqualTo("text/event-stream");
    JsonNode sent = call.json();
    assertThat(sent.get("stream").asBoolean()).isTrue();
    assertThat(sent.get("partial_images").asInt()).isEqualTo(2);
  }

  @Test
  void generate_streamAgainstPlainJsonUpstream_emitsCompletedEventsItself() {
    byte[] drawn = TestImages.png(12, 12);
    sse.enqueue(UpstreamReplies.image(drawn));

    Http.Answer answer = Http.postJson(gateway.url("/v1/images/generations"), RunningGateway.MASTER_KEY,
        "{\"model\":\"stream\",\"prompt\":\"a kite\",\"size\":\"1024x1024\",\"quality\":\"low\",\"stream\":true}");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("content-type")).startsWith("text/event-stream");
    JsonNode event = onlyEvent(answer, "image_generation.completed");
    assertThat(Base64.getDecoder().decode(event.get("b64_json").asText())).isEqualTo(drawn);
    assertThat(event.get("usage")).isEqualTo(Http.json(UpstreamReplies.USAGE));
    assertThat(event.get("size").asText()).isEqualTo("1024x1024");
    assertThat(sse.take().json().get("stream").asBoolean()).isTrue();
  }

  @Test
  void edit_streamAgainstPlainJsonUpstream_emitsImageEditCompletedEvents() {
    byte[] drawn = TestImages.png(12, 12);
    sse.enqueue(UpstreamReplies.image(drawn));

    Http.Answer answer = Http.postJson(gateway.url("/v1/images/edits"), RunningGateway.MASTER_KEY,
        "{\"model\":\"stream\",\"prompt\":\"a kite\",\"size\":\"1024x1024\",\"quality\":\"low\",\"stream\":true,"
            + "\"image\":\"" + dataUrl(TestImages.png(64, 64), "image/png") + "\"}");

    assertThat(answer.status()).isEqualTo(200);
    JsonNode event = onlyEvent(answer, "image_edit.completed");
    assertThat(Base64.getDecoder().decode(event.get("b64_json").asText())).isEqualTo(drawn);
    FakeUpstream.Call call = sse.take();
    assertThat(call.path()).isEqualTo("/v1/images/edits");
    assertThat(call.parts().text("stream")).isEqualTo("true");
  }

  @Test
  void generate_streamBreaksOffMidway_relaysWhatCameThenAnErrorFrame() {
    String pixels = Base64.getEncoder().encodeToString(TestImages.png(8, 8));
    String first = UpstreamReplies.frame("image_generation.partial_image",
        "{\"type\":\"image_generation.partial_image\",\"b64_json\":\"" + pixels + "\",\"partial_image_index\":0}");
    String big = Base64.getEncoder().encodeToString(TestImages.png(256, 256));
    String second = UpstreamReplies.frame("image_generation.completed",
        "{\"type\":\"image_generation.completed\",\"b64_json\":\"" + big + "\"}");
    // the upstream sends half its body (all of the first frame, part of the second) and disconnects
    sse.enqueue(UpstreamReplies.sse(first + second).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

    Http.Answer answer = Http.postJson(gateway.url("/v1/images/generations"), RunningGateway.MASTER_KEY,
        "{\"model\":\"stream\",\"prompt\":\"a kite\",\"size\":\"1024x1024\",\"quality\":\"low\","
            + "\"stream\":true,\"partial_images\":1}");

    assertThat(answer.status()).isEqualTo(200);
    String text = new String(answer.raw().body(), StandardCharsets.UTF_8);
    assertThat(text).startsWith(first);
    String[] frames = text.strip().split("\n\n");
    assertThat(frames).hasSize(2);
    String last = frames[1];
    JsonNode error = Http.json(last.substring(last.indexOf("data: ") + 6)).get("error");
    assertThat(error).as("error object of the last frame: " + last).isNotNull();
    assertThat(error.get("code").asText()).isEqualTo("upstream_error");
    assertThat(error.get("message").asText()).isNotBlank();
    assertThat(sse.callCount()).isEqualTo(1);
  }

  // --- clients that hang up ---

  @Test
  void generate_clientHangsUpWhileUpstreamWorks_upstreamCallIsCancelledAndGatewayKeepsServing() throws Exception {
    hanging.holdNext(1500);
    String json = "{\"model\":\"hang\",\"prompt\":\"a slow cat\",\"size\":\"1024x1024\",\"quality\":\"low\"}";
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    try (Socket client = new Socket("127.0.0.1", gateway.gateway().port())) {
      OutputStream out = client.getOutputStream();
      out.write(("POST /v1/images/generations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + RunningGateway.MASTER_KEY + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      Thread.sleep(100);
    }

    // while the abandoned call is still out, other requests are served
    fallbackA.enqueue(UpstreamReplies.image(TestImages.png(8, 8)));
    assertOk(generate("fallback"));

    HangingUpstream.Outcome abandoned = hanging.nextOutcome(10);
    assertThat(abandoned.requestHead()).startsWith("POST /v1/images/generations HTTP/1.1");
    assertThat(abandoned.cancelled()).as("the gateway closed the upstream call of a client that hung up").isTrue();
    assertThat(abandoned.closedByCallerAfterMillis()).as("ms until cancelled").isLessThan(1500);

    // and the same route still works afterwards
    Http.Answer next = generate("hang");
    assertOk(next);
    assertThat(hanging.nextOutcome(5).cancelled()).isFalse();
  }

  // --- helpers ---

  private static Http.Answer generate(String model) {
    return Http.postJson(gateway.url("/v1/images/generations"), RunningGateway.MASTER_KEY,
        "{\"model\":\"" + model + "\",\"prompt\":\"a cat on a roof\",\"size\":\"1024x1024\",\"quality\":\"low\"}");
  }

  private static JsonNode onlyEvent(Http.Answer answer, String type) {
    String text = new String(answer.raw().body(), StandardCharsets.UTF_8);
    String[] frames = text.strip().split("\n\n");
    assertThat(frames).hasSize(1);
    assertThat(frames[0]).startsWith("event: " + type + "\ndata: ");
    JsonNode event = Http.json(frames[0].substring(frames[0].indexOf("data: ") + 6));
    assertThat(event.get("type").asText()).isEqualTo(type);
    return event;
  }
}
