package io.imagegate.web;

import static io.imagegate.web.InvalidRequestsIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Idempotency-Key} across two gateways on one real PostgreSQL, each with its own data dir (no shared
 * volume): the second instance replays the first one's answer byte for byte from the database, refuses a
 * different body, and waits for a duplicate still running on the other instance. One charge each time.
 */
class IdempotencyAcrossInstancesIT {
  private static String database;
  private static RunningGateway a;
  private static RunningGateway b;

  @BeforeAll
  static void start() {
    database = TestPostgres.get().newDatabase();
    a = RunningGateway.start(Map.of("IMAGEGATE_DATABASE_URL", database));
    b = RunningGateway.start(Map.of("IMAGEGATE_DATABASE_URL", database));
    assertThat(a.dataDir()).isNotEqualTo(b.dataDir());
  }

  @AfterAll
  static void stop() {
    if (a != null) a.close();
    if (b != null) b.close();
  }

  @Test
  void sameKeySameBody_onTheOtherInstance_replaysByteForByteAndChargesOnce() throws Exception {
    String body = "{\"prompt\":\"a lighthouse in fog\",\"quality\":\"medium\",\"size\":\"1536x1024\",\"n\":2}";
    long charged = charged();
    Http.Answer first = post(a, "across-1", body);
    Http.Answer again = post(b, "across-1", body);

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("x-imagegate-idempotent-replayed")).isNull();
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.header("x-imagegate-idempotent-replayed")).isEqualTo("true");
    assertThat(again.header("x-imagegate-provider")).isEqualTo(first.header("x-imagegate-provider"));
    assertThat(again.raw().body()).isEqualTo(first.raw().body());
    assertThat(first.json().get("data")).hasSize(2);
    assertThat(charged() - charged).as("one generation charged for both answers").isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM usage_ledger WHERE request_id = ?", first.header("x-request-id"))).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM usage_ledger WHERE request_id = ?", again.header("x-request-id"))).isZero();
    assertThat(count("SELECT COUNT(*) FROM idempotency_bodies WHERE idem_key = ?", "across-1")).isPositive();
    // Once more, from the instance that generated it: the same bytes from the same store.
    assertThat(post(a, "across-1", body).raw().body()).isEqualTo(first.raw().body());
  }

  @Test
  void sameKeyDifferentBody_onTheOtherInstance_is409() throws Exception {
    String body = "{\"prompt\":\"a red kite over dunes\",\"quality\":\"low\"}";
    assertThat(post(a, "across-2", body).status()).isEqualTo(200);
    long charged = charged();
    Http.Answer other = post(b, "across-2", body.replace("red", "blue"));
    assertError(other, 409, "invalid_request_error", null, "idempotency_key_reused");
    assertThat(other.error().get("message").asText()).contains("across-2").contains("different");
    assertThat(charged()).isEqualTo(charged);
  }

  @Test
  void duplicateOnTheOtherInstance_whileTheFirstRuns_waitsAndGetsTheSameAnswer() throws Exception {
    String slow = "{\"prompt\":\"a storm over a harbour city at night\",\"quality\":\"high\",\"size\":\"3840x2160\",\"n\":4}";
    long charged = charged();
    CompletableFuture<Http.Answer> first = CompletableFuture.supplyAsync(() -> post(a, "across-3", slow));
    awaitStatus("across-3", "running");

    long sent = System.nanoTime();
    CompletableFuture<Http.Answer> second = CompletableFuture.supplyAsync(() -> post(b, "across-3", slow));
    Thread.sleep(300);
    // B has had time to reach the key and is neither answered (409 "in use") nor running a generation of
    // its own: the claim is still A's, running.
    assertThat(second).isNotDone();
    assertThat(string("SELECT status FROM idempotency_keys WHERE idem_key = ?", "across-3")).isEqualTo("running");

    Http.Answer firstAnswer = first.get(120, TimeUnit.SECONDS);
    Http.Answer secondAnswer = second.get(120, TimeUnit.SECONDS);
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
    assertThat(firstAnswer.status()).isEqualTo(200);
    assertThat(secondAnswer.status()).isEqualTo(200);
    assertThat(secondAnswer.header("x-imagegate-idempotent-replayed")).isEqualTo("true");
    assertThat(secondAnswer.raw().body()).isEqualTo(firstAnswer.raw().body());
    assertThat(charged() - charged).isEqualTo(1);
    System.out.printf("IdempotencyAcrossInstancesIT: %d-byte answer replayed on B after waiting %d ms%n",
        firstAnswer.raw().body().length, waitedMillis);
  }

  private static Http.Answer post(RunningGateway gateway, String key, String body) {
    return Http.send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/images/generations")))
        .timeout(java.time.Duration.ofSeconds(120))
        .header("Authorization", "Bearer " + RunningGateway.MASTER_KEY).header("Content-Type", "application/json")
        .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /** Charged generations in the shared ledger: one row per answered request. */
  private static long charged() throws SQLException { return count("SELECT COUNT(*) FROM usage_ledger WHERE status = 200"); }

  private static void awaitStatus(String key, String status) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!status.equals(string("SELECT status FROM idempotency_keys WHERE idem_key = ?", key))) {
      assertThat(System.nanoTime()).as("claim of %s never became %s", key, status).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static long count(String sql, String... args) throws SQLException {
    String value = string(sql, args);
    return value == null ? 0 : Long.parseLong(value);
  }

  private static String string(String sql, String... args) throws SQLException {
    try (Connection c = DriverManager.getConnection(database); PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) st.setString(i + 1, args[i]);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
