package io.imagegate.web;

import static io.imagegate.web.InvalidRequestsIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.auth.KeySpec;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A key's requests- and images-per-minute limits over real HTTP: 429 with Retry-After, and the headers. */
class RateLimitIT {
  private static final String BODY = "{\"prompt\":\"a kite\",\"quality\":\"low\"}";
  private static RunningGateway gateway;

  @BeforeAll
  static void start() { gateway = RunningGateway.start(); }

  @AfterAll
  static void stop() { gateway.close(); }

  private static String key(Integer rpm, Integer ipm) {
    return gateway.gateway().keys().create(new KeySpec("limited", null, List.of(), List.of("images"), rpm, ipm,
        null, null, false)).secret();
  }

  private static Http.Answer generate(String key, String body) {
    return Http.postJson(gateway.url("/v1/images/generations"), key, body);
  }

  @Test
  void generate_overRequestsPerMinute_is429WithRetryAfter() {
    String key = key(2, null);
    Http.Answer first = generate(key, BODY);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("x-ratelimit-limit-requests")).isEqualTo("2");
    assertThat(first.header("x-ratelimit-remaining-requests")).isEqualTo("1");
    assertThat(first.header("x-ratelimit-reset-requests")).isEqualTo("30s");
    assertThat(generate(key, BODY).status()).isEqualTo(200);
    Http.Answer third = generate(key, BODY);
    assertError(third, 429, "requests", null, "rate_limit_exceeded");
    assertThat(Integer.parseInt(third.header("retry-after"))).isBetween(25, 30);
    assertThat(third.header("x-ratelimit-remaining-requests")).isEqualTo("0");
  }

  @Test
  void generate_overImagesPerMinute_countsN() {
    String key = key(null, 3);
    Http.Answer two = generate(key, "{\"prompt\":\"a kite\",\"quality\":\"low\",\"n\":2}");
    assertThat(two.status()).isEqualTo(200);
    assertThat(two.header("x-ratelimit-remaining-images")).isEqualTo("1");
    assertThat(two.header("x-ratelimit-limit-requests")).isNull();
    Http.Answer again = generate(key, "{\"prompt\":\"a kite\",\"quality\":\"low\",\"n\":2}");
    assertError(again, 429, "requests", null, "rate_limit_exceeded");
    assertThat(again.error().get("message").asText()).contains("3 images per minute");
    assertThat(generate(key, BODY).status()).as("one image still fits").isEqualTo(200);
  }

  @Test
  void generate_withMasterKey_isUnlimited() {
    Http.Answer answer = generate(RunningGateway.MASTER_KEY, BODY);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("x-ratelimit-limit-requests")).isNull();
  }

  @Test
  void generate_nOverTheModelsMaximum_is400AndSpendsNoQuota() {
    String key = key(null, 12);
    Http.Answer tooMany = generate(key, "{\"prompt\":\"a kite\",\"quality\":\"low\",\"n\":50}");
    assertError(tooMany, 400, "invalid_request_error", "n", "invalid_value");
    assertThat(tooMany.header("x-ratelimit-remaining-images")).as("refused before the limiter").isNull();
    Http.Answer ten = generate(key, "{\"prompt\":\"a kite\",\"quality\":\"low\",\"n\":10}");
    assertThat(ten.status()).as("all 12 images of the minute are still there").isEqualTo(200);
    assertThat(ten.header("x-ratelimit-remaining-images")).isEqualTo("2");
  }

  @Test
  void generate_modelTheKeyMayNotUse_is403AndSpendsNoQuota() {
    String key = gateway.gateway().keys().create(new KeySpec("one-model", null, List.of("gpt-image-1"),
        List.of("images"), 1, 1, null, null, false)).secret();
    Http.Answer refused = generate(key, "{\"model\":\"gpt-image-2\",\"prompt\":\"a kite\",\"quality\":\"low\"}");
    assertError(refused, 403, "permission_denied", "model", "model_not_allowed");
    Http.Answer allowed = generate(key, "{\"model\":\"gpt-image-1\",\"prompt\":\"a kite\",\"quality\":\"low\"}");
    assertThat(allowed.status()).as("the one request and image of the minute are still there").isEqualTo(200);
  }
}
