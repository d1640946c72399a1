package io.imagegate.web;

import static io.imagegate.web.InvalidRequestsIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code Idempotency-Key} over real HTTP: replays byte for byte, conflicts, waits for a running duplicate. */
class IdempotencyIT {
  private static final String BODY = "{\"prompt\":\"a quiet harbour at dawn\",\"quality\":\"low\",\"n\":2}";
  private static RunningGateway gateway;

  @BeforeAll
  static void start() { gateway = RunningGateway.start(); }

  @AfterAll
  static void stop() { gateway.close(); }

  private static Http.Answer post(String key, String body) {
    return Http.send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/images/generations")))
        .header("Authorization", "Bearer " + RunningGateway.MASTER_KEY).header("Content-Type", "application/json")
        .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  @Test
  void post_sameKeySameBody_replaysTheFirstAnswerByteForByte() {
    Http.Answer first = post("order-1", BODY);
    Http.Answer again = post("order-1", BODY);
    assertThat(first.status()).isEqualTo(200);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.raw().body()).isEqualTo(first.raw().body());
    assertThat(again.header("x-imagegate-idempotent-replayed")).isEqualTo("true");
    assertThat(first.header("x-imagegate-idempotent-replayed")).isNull();
    assertThat(again.header("x-imagegate-provider")).isEqualTo("imagegate-local");
    // The same body without the key is a new request: a new "created" time may differ, images are the same.
    assertThat(post("order-1b", BODY).header("x-imagegate-idempotent-replayed")).isNull();
  }

  @Test
  void post_sameKeyDifferentBody_is409() {
    assertThat(post("order-2", BODY).status()).isEqualTo(200);
    Http.Answer other = post("order-2", BODY.replace("harbour", "castle"));
    assertError(other, 409, "invalid_request_error", null, "idempotency_key_reused");
    assertThat(other.error().get("message").asText()).contains("order-2");
  }

  @Test
  void post_duplicateWhileFirstRuns_waitsAndGetsTheSameAnswer() throws Exception {
    String big = "{\"prompt\":\"a storm over a mountain city\",\"quality\":\"high\",\"size\":\"2048x2048\",\"n\":3}";
    CompletableFuture<Http.Answer> first = CompletableFuture.supplyAsync(() -> post("order-3", big));
    Thread.sleep(150);
    Http.Answer second = post("order-3", big);
    Http.Answer firstAnswer = first.get();
    assertThat(firstAnswer.status()).isEqualTo(200);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.raw().body()).isEqualTo(firstAnswer.raw().body());
  }

  @Test
  void post_failedRequest_isNotRecorded() {
    assertThat(post("order-4", "{\"prompt\":\"x\",\"size\":\"1000x1000\"}").status()).isEqualTo(400);
    // A corrected retry under the same key... is a different body: the failed one left no claim behind.
    assertThat(post("order-4", "{\"prompt\":\"x\",\"size\":\"1024x1024\",\"quality\":\"low\"}").status()).isEqualTo(200);
  }

  @Test
  void post_invalidKey_is400() {
    assertError(post(" ".repeat(3), BODY), 400, "invalid_request_error", null, "invalid_idempotency_key");
  }
}
