package io.imagegate.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.Http;
import io.imagegate.testing.Multipart;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** The files and batches routes over real HTTP, for the tests; {@code base} gives the gateway's base URL. */
final class BatchClient {
  static final Set<String> ENDED = Set.of("completed", "failed", "expired", "cancelled");
  private final Supplier<String> base;

  BatchClient(Supplier<String> base) { this.base = base; }

  Http.Answer upload(String key, String purpose, String filename, byte[] content) {
    Multipart.Builder b = new Multipart.Builder();
    if (purpose != null) b.text("purpose", purpose);
    if (content != null) b.file("file", filename, "application/jsonl", content);
    return Http.post(base.get() + "/v1/files", key, b.contentType(), b.build());
  }

  /** Uploads {@code lines} (one JSONL line each) for {@code batch}; returns the file id. */
  String uploaded(String key, List<String> lines) {
    Http.Answer a = upload(key, "batch", "lines.jsonl", (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    if (a.status() != 200) throw new AssertionError("upload answered " + a.status() + ": " + a.json());
    return a.json().get("id").asText();
  }

  Http.Answer create(String key, String fileId, String endpoint) {
    return Http.postJson(base.get() + "/v1/batches", key, "{\"input_file_id\":\"" + fileId + "\",\"endpoint\":\""
        + endpoint + "\",\"completion_window\":\"24h\",\"metadata\":{\"job\":\"nightly\"}}");
  }

  String created(String key, String fileId) {
    Http.Answer a = create(key, fileId, "/v1/images/generations");
    if (a.status() != 200) throw new AssertionError("create answered " + a.status() + ": " + a.json());
    return a.json().get("id").asText();
  }

  Http.Answer get(String key, String id) { return Http.get(base.get() + "/v1/batches/" + id, key); }

  Http.Answer cancel(String key, String id) {
    return Http.post(base.get() + "/v1/batches/" + id + "/cancel", key, null, new byte[0]);
  }

  /** Polls until the batch has ended (up to {@code seconds}); returns it. */
  JsonNode await(String key, String id, int seconds) throws InterruptedException {
    return awaitStatus(key, id, ENDED, seconds);
  }

  JsonNode awaitStatus(String key, String id, Set<String> statuses, int seconds) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (true) {
      JsonNode b = get(key, id).json();
      if (statuses.contains(b.get("status").asText())) return b;
      if (System.nanoTime() > end) throw new AssertionError("batch " + id + " still " + b + " after " + seconds + " s");
      Thread.sleep(100);
    }
  }

  /** A file's content, as JSON lines parsed. */
  List<JsonNode> lines(String key, String fileId) {
    Http.Answer a = Http.get(base.get() + "/v1/files/" + fileId + "/content", key);
    if (a.status() != 200) throw new AssertionError("content answered " + a.status());
    List<JsonNode> lines = new ArrayList<>();
    for (String line : new String(a.raw().body(), StandardCharsets.UTF_8).split("\n")) {
      if (!line.isEmpty()) lines.add(Http.json(line));
    }
    return lines;
  }

  /** A JSONL line asking for one image, at {@code size}. */
  static String line(String customId, String prompt, String size) {
    return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"/v1/images/generations\",\"body\":"
        + "{\"model\":\"up\",\"prompt\":\"" + prompt + "\",\"size\":\"" + size + "\",\"quality\":\"low\"}}";
  }

  /** The ledger's rows (status 200) for a request id, and their cost. */
  static double[] charges(String jdbcUrl, String requestId) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl); PreparedStatement st = c.prepareStatement(
        "SELECT COUNT(*), COALESCE(SUM(cost_usd), 0) FROM usage_ledger WHERE request_id = ? AND status = 200")) {
      st.setString(1, requestId);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return new double[] {rs.getInt(1), rs.getDouble(2)};
      }
    }
  }
}
