package io.imagegate.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The file and batch objects on the wire, in OpenAI's shape. Times are Unix seconds, null when not yet.
 * A batch's {@code request_counts} are {@code total} lines, {@code completed} (answered 200) and
 * {@code failed} (refused or failed); lines cancelled or expired before they ran count in neither.
 */
final class BatchAnswers {
  static final ObjectMapper JSON = new ObjectMapper();

  private BatchAnswers() {}

  static byte[] file(StoredFile f) { return bytes(fileNode(f)); }

  static byte[] files(List<StoredFile> files, boolean more) {
    ObjectNode o = JSON.createObjectNode();
    o.put("object", "list");
    ArrayNode data = o.putArray("data");
    files.forEach(f -> data.add(fileNode(f)));
    page(o, files.isEmpty() ? null : files.getFirst().id(), files.isEmpty() ? null : files.getLast().id(), more);
    return bytes(o);
  }

  static byte[] deleted(String id) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", id);
    o.put("object", "file");
    o.put("deleted", true);
    return bytes(o);
  }

  static byte[] batch(Batch b, int completed, int failed) { return bytes(batchNode(b, completed, failed)); }

  /** A page of batches; {@code counts} gives each one's completed and failed lines. */
  static byte[] batches(List<Batch> batches, boolean more, java.util.function.Function<Batch, int[]> counts) {
    ObjectNode o = JSON.createObjectNode();
    o.put("object", "list");
    ArrayNode data = o.putArray("data");
    for (Batch b : batches) {
      int[] c = counts.apply(b);
      data.add(batchNode(b, c[0], c[1]));
    }
    page(o, batches.isEmpty() ? null : batches.getFirst().id(), batches.isEmpty() ? null : batches.getLast().id(),
        more);
    return bytes(o);
  }

  private static ObjectNode fileNode(StoredFile f) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", f.id());
    o.put("object", "file");
    o.put("bytes", f.bytes());
    o.put("created_at", f.createdAt() / 1000);
    o.putNull("expires_at");
    o.put("filename", f.filename());
    o.put("purpose", f.purpose());
    o.put("status", "processed");
    o.putNull("status_details");
    return o;
  }

  private static ObjectNode batchNode(Batch b, int completed, int failed) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", b.id());
    o.put("object", "batch");
    o.put("endpoint", b.endpoint());
    if (b.errors() == null) {
      o.putNull("errors");
    } else {
      ObjectNode errors = o.putObject("errors");
      errors.put("object", "list");
      errors.set("data", tree(b.errors()));
    }
    o.put("input_file_id", b.inputFileId());
    o.put("completion_window", "24h");
    o.put("status", b.status());
    o.put("output_file_id", b.outputFileId());
    o.put("error_file_id", b.errorFileId());
    seconds(o, "created_at", b.createdAt());
    seconds(o, "in_progress_at", b.inProgressAt());
    seconds(o, "expires_at", b.expiresAt());
    seconds(o, "finalizing_at", b.finalizingAt());
    seconds(o, "completed_at", b.completedAt());
    seconds(o, "failed_at", b.failedAt());
    seconds(o, "expired_at", b.expiredAt());
    seconds(o, "cancelling_at", b.cancellingAt());
    seconds(o, "cancelled_at", b.cancelledAt());
    ObjectNode counts = o.putObject("request_counts");
    counts.put("total", b.total());
    counts.put("completed", completed);
    counts.put("failed", failed);
    if (b.metadata() == null) o.putNull("metadata");
    else o.set("metadata", tree(b.metadata()));
    return o;
  }

  private static void page(ObjectNode o, String first, String last, boolean more) {
    o.put("first_id", first);
    o.put("last_id", last);
    o.put("has_more", more);
  }

  private static void seconds(ObjectNode o, String field, long millis) {
    if (millis == 0) o.putNull(field);
    else o.put(field, millis / 1000);
  }

  static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
