package io.imagegate.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.api.ApiException;
import io.imagegate.api.Operation;
import io.imagegate.auth.ApiKey;
import io.imagegate.jobs.ImageJobs;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * OpenAI's Batch API for images: {@code POST /v1/batches}, {@code GET /v1/batches[/{id}]} and
 * {@code POST /v1/batches/{id}/cancel}. A batch is created {@code validating}; this instance's runner (or any
 * other's on the same store) checks its input file, fails it with {@code errors} when a line is malformed, or
 * submits each line as an async image job ({@link ImageJobs#submitLine}: the key's limits and budget, charged
 * once, at the batch discount) and marks it {@code in_progress}; once every line has ended it is
 * {@code finalizing}, its output and error files are written, and it ends {@code completed} (or
 * {@code cancelled}, {@code expired}). Only the batch's key, or an admin key, sees it: any other gets 404.
 */
public final class ImageBatches implements AutoCloseable {
  /** The endpoints a batch may run, and the operation each is. */
  static final Map<String, Operation> ENDPOINTS = Map.of("/v1/images/generations", Operation.GENERATION,
      "/v1/images/edits", Operation.EDIT);
  static final Duration WINDOW = Duration.ofHours(24);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcBatchStore store;
  private final BatchFiles files;
  private final ImageJobs jobs;
  private final Clock clock;
  private final BatchRunner runner;

  private ImageBatches(JdbcBatchStore store, BatchFiles files, ImageJobs jobs, double discount, Clock clock) {
    this.store = store;
    this.files = files;
    this.jobs = jobs;
    this.clock = clock;
    this.runner = new BatchRunner(store, files, jobs, discount, clock).start();
  }

  /** The batches of {@code db}, their lines run by {@code jobs} at {@code discount} times the list price. */
  public static ImageBatches start(DataSource db, BatchFiles files, ImageJobs jobs, double discount, Clock clock) {
    return new ImageBatches(new JdbcBatchStore(db), files, jobs, discount, clock);
  }

  /**
   * {@code POST /v1/batches}: answers the new batch, {@code validating}.
   *
   * @param baseUrl how the client reached the gateway, for the URLs of {@code response_format: url} lines
   * @throws ApiException 400 for a missing or wrong {@code endpoint}, {@code completion_window} or
   *     {@code metadata}, an unknown (or another key's) {@code input_file_id} or one not uploaded for
   *     {@code batch}
   */
  public byte[] create(ApiKey key, JsonNode body, String baseUrl) {
    if (body == null || !body.isObject()) {
      throw new ApiException(400, "invalid_request_error", null, "invalid_json", "The body must be a JSON object.");
    }
    String fileId = text(body, "input_file_id");
    String endpoint = text(body, "endpoint");
    String window = text(body, "completion_window");
    if (!ENDPOINTS.containsKey(endpoint)) {
      throw ApiException.invalidValue("endpoint", "'endpoint' must be /v1/images/generations or /v1/images/edits"
          + " here, not '" + endpoint + "'.");
    }
    if (!"24h".equals(window)) {
      throw ApiException.invalidValue("completion_window", "'completion_window' must be '24h', not '" + window + "'.");
    }
    JsonNode metadata = body.get("metadata");
    if (metadata != null && !metadata.isNull()) checkMetadata(metadata);
    StoredFile input;
    try {
      input = files.visible(key, fileId);
    } catch (ApiException e) {
      throw new ApiException(400, "invalid_request_error", "input_file_id", "file_not_found", "No such File object"
          + " for 'input_file_id': " + fileId);
    }
    if (!"batch".equals(input.purpose())) {
      throw ApiException.invalidValue("input_file_id", "The file " + fileId + " was uploaded with purpose '"
          + input.purpose() + "'; a batch's input must have purpose 'batch'.");
    }
    long now = clock.millis();
    Batch batch = new Batch(newId(), key.id(), endpoint, fileId, "validating", metadata == null || metadata.isNull()
        ? null : metadata.toString(), null, 0, null, null, now, 0, 0, 0, 0, now + WINDOW.toMillis(), 0, 0, 0, 0, 0, baseUrl);
    store.insertBatch(batch);
    runner.wake();
    return answer(store.batch(batch.id()).orElseThrow());
  }

  /** {@code GET /v1/batches/{id}}. */
  public byte[] get(ApiKey key, String id) { return answer(visible(key, id)); }

  /** {@code GET /v1/batches}: the key's batches (an admin key's: all), newest first. */
  public byte[] list(ApiKey key, String limit, String after) {
    int n = Pages.limit(limit, 20, 100);
    Pages.after(after, "batch_");
    List<Batch> batches = store.batches(key.admin() ? null : key.id(), after, n + 1);
    boolean more = batches.size() > n;
    return BatchAnswers.batches(more ? batches.subList(0, n) : batches, more, this::counts);
  }

  /**
   * {@code POST /v1/batches/{id}/cancel}: the batch is {@code cancelling}, its lines not yet started are
   * cancelled (never run, never charged), those running finish; then it ends {@code cancelled} with the
   * output of the lines that ran. 409 when it had already ended.
   */
  public byte[] cancel(ApiKey key, String id) {
    Batch batch = visible(key, id);
    if (!store.cancelling(batch.id(), clock.millis())) {
      Batch now = store.batch(id).orElseThrow();
      if (!now.status().equals("cancelling")) {
        throw new ApiException(409, "invalid_request_error", null, "batch_not_cancellable", "This batch is "
            + now.status() + "; only a batch validating or in progress can be cancelled.");
      }
    }
    jobs.cancelQueuedLines(batch.id());
    runner.wake();
    return answer(store.batch(id).orElseThrow());
  }

  /** Stops this instance's runner; the work it held is taken up again by the next (its claims run out). */
  @Override
  public void close() { runner.close(); }

  private byte[] answer(Batch b) {
    int[] c = counts(b);
    return BatchAnswers.batch(b, c[0], c[1]);
  }

  /** Completed and failed lines: counted from the jobs while the batch runs, as kept once it ended. */
  private int[] counts(Batch b) {
    if (b.ended()) return new int[] {b.completed(), b.failed()};
    int completed = 0;
    int failed = 0;
    for (ImageJobs.Line line : jobs.lines(b.id())) {
      if (line.status().equals("succeeded")) completed++;
      else if (line.status().equals("failed")) failed++;
    }
    return new int[] {completed, failed};
  }

  private Batch visible(ApiKey key, String id) {
    Optional<Batch> batch = id == null ? Optional.empty() : store.batch(id);
    if (batch.isEmpty() || !(batch.get().keyId().equals(key.id()) || key.admin())) {
      throw new ApiException(404, "invalid_request_error", null, "batch_not_found", "No batch with id '" + id + "'.");
    }
    return batch.get();
  }

  private static void checkMetadata(JsonNode metadata) {
    if (!metadata.isObject() || metadata.size() > 16) {
      throw ApiException.invalidValue("metadata", "'metadata' must be an object of at most 16 string values.");
    }
    for (Map.Entry<String, JsonNode> e : metadata.properties()) {
      if (e.getKey().length() > 64 || !e.getValue().isTextual() || e.getValue().asText().length() > 512) {
        throw ApiException.invalidValue("metadata", "Each 'metadata' key must be at most 64 characters and each"
            + " value a string of at most 512.");
      }
    }
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      throw new ApiException(400, "invalid_request_error", field, "missing_required_parameter", "Missing required"
          + " parameter: '" + field + "'.");
    }
    if (!v.isTextual()) throw ApiException.invalidValue(field, "'" + field + "' must be a string.");
    return v.asText();
  }

  /** {@code batch_} and 24 hex digits: 12 of the time in milliseconds (so ids sort by creation) and 12 random. */
  private String newId() {
    byte[] random = new byte[6];
    RANDOM.nextBytes(random);
    return "batch_" + String.format("%012x", clock.millis()) + HexFormat.of().formatHex(random);
  }
}
