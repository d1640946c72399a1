package io.imagegate.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Supplier;

/** A client of one gateway's async jobs, for the jobs ITs: submit, poll until finished, cancel; and the ledger. */
final class JobClient {
  private final Supplier<String> base;

  JobClient(Supplier<String> baseUrl) { this.base = baseUrl; }

  /** POSTs {@code json} with {@code Prefer: respond-async} (and an {@code Idempotency-Key} when not null). */
  Http.Answer submit(String key, String path, String json, String idempotencyKey) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.get() + path))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .header("Prefer", "respond-async").POST(HttpRequest.BodyPublishers.ofString(json));
    if (idempotencyKey != null) b.header("Idempotency-Key", idempotencyKey);
    return Http.send(b.build());
  }

  /** Submits and checks the 202: its Location names the job of its body, which is queued. */
  String submitted(String key, String json) {
    Http.Answer a = submit(key, "/v1/images/generations", json, null);
    assertThat(a.status()).as(new String(a.raw().body())).isEqualTo(202);
    String id = a.json().get("id").asText();
    assertThat(a.header("Location")).isEqualTo("/v1/images/jobs/" + id);
    assertThat(a.json().get("object").asText()).isEqualTo("image.job");
    return id;
  }

  Http.Answer get(String key, String id) { return Http.get(base.get() + "/v1/images/jobs/" + id, key); }

  Http.Answer cancel(String key, String id) {
    return Http.send(HttpRequest.newBuilder(URI.create(base.get() + "/v1/images/jobs/" + id))
        .header("Authorization", "Bearer " + key).DELETE().build());
  }

  /** Polls until the job is finished (up to {@code seconds}); its last state. */
  JsonNode await(String key, String id, int seconds) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (true) {
      Http.Answer a = get(key, id);
      assertThat(a.status()).as(new String(a.raw().body())).isEqualTo(200);
      String status = a.json().get("status").asText();
      if (!status.equals("queued") && !status.equals("running")) {
        assertThat(a.header("Retry-After")).as("no Retry-After once finished").isNull();
        return a.json();
      }
      assertThat(a.header("Retry-After")).isEqualTo("2");
      if (System.nanoTime() > end) throw new AssertionError("job " + id + " still " + status + " after " + seconds + " s");
      Thread.sleep(100);
    }
  }

  /** Polls until the job has the status (up to {@code seconds}). */
  void awaitStatus(String key, String id, String status, int seconds) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (!get(key, id).json().get("status").asText().equals(status)) {
      if (System.nanoTime() > end) throw new AssertionError("job " + id + " never " + status);
      Thread.sleep(50);
    }
  }

  /** Rows of the ledger at {@code jdbcUrl} whose request id is {@code requestId} and status {@code status}. */
  static int ledgerRows(String jdbcUrl, String requestIdLike, int status) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl); PreparedStatement st = c.prepareStatement(
        "SELECT COUNT(*) FROM usage_ledger WHERE request_id LIKE ? AND status = ?")) {
      st.setString(1, requestIdLike);
      st.setInt(2, status);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
