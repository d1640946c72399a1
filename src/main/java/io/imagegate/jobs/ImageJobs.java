package io.imagegate.jobs;

import io.imagegate.api.ApiException;
import io.imagegate.api.Operation;
import io.imagegate.auth.ApiKey;
import io.imagegate.auth.JdbcKeyStore;
import io.imagegate.config.JobSettings;
import io.imagegate.engine.Exchange;
import io.imagegate.engine.ImageService;
import io.imagegate.imagestore.ImageStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Async image jobs: {@code Prefer: respond-async} submits of {@code /v1/images/generations} and
 * {@code /v1/images/edits}, and {@code /v1/images/jobs} to poll, list and cancel them. A submit passes every
 * check of a synchronous call ({@link ImageService#submit}) before it is kept and answered 202; this
 * instance's workers (and those of every instance on the same store) run the jobs. Only the key that submitted a
 * job, or an admin key, sees it: any other key gets 404.
 */
public final class ImageJobs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ImageJobs.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String RETRY_AFTER = "2";

  private final JdbcJobStore store;
  private final ImageService service;
  private final ImageStore images;
  private final JobSettings settings;
  private final Clock clock;
  private final JobWorkers workers;
  private final JdbcKeyStore keys;

  /** An answer of the jobs routes, for the web layer to send. */
  public record Answer(int status, Map<String, String> headers, byte[] body) {}

  private ImageJobs(JdbcJobStore store, ImageService service, ImageStore images, JdbcKeyStore keys,
      JobSettings settings, Clock clock) {
    this.store = store;
    this.service = service;
    this.images = images;
    this.settings = settings;
    this.clock = clock;
    this.keys = keys;
    this.workers = new JobWorkers(store, service, images, keys, clock, settings.lease()).start(settings.workers());
  }

  /** Jobs in {@code db}, run by {@code settings.workers()} workers of this instance from now on. */
  public static ImageJobs start(DataSource db, boolean postgres, ImageService service, ImageStore images,
      JdbcKeyStore keys, JobSettings settings, Clock clock) {
    return new ImageJobs(new JdbcJobStore(db, postgres), service, images, keys, settings, clock);
  }

  /**
   * Submits a job: refused exactly as the synchronous call would be, else kept and answered 202 with its
   * {@code Location}. A repeat with the same {@code Idempotency-Key} gets the same job (409 when its body
   * differs).
   */
  public void submit(Exchange x, ApiKey key, Operation operation, long declaredBytes, ImageService.Body body)
      throws IOException {
    service.submit(x, key, operation, declaredBytes, body, admitted -> {
      String idempotencyKey = x.header("Idempotency-Key");
      if (idempotencyKey != null) {
        Optional<Job> earlier = store.byIdempotencyKey(key.id(), idempotencyKey);
        if (earlier.isPresent()) {
          accepted(x, same(earlier.get(), admitted.fingerprint()), true);
          return;
        }
      }
      if (store.queued(key.id()) >= settings.maxQueuedPerKey()) {
        throw new ApiException(429, "requests", null, "too_many_queued_jobs", "This API key has "
            + settings.maxQueuedPerKey() + " jobs queued already; wait for some to start, or cancel some.")
            .withHeader("Retry-After", RETRY_AFTER);
      }
      Job job = new Job(newId(), key.id(), operation == Operation.EDIT ? "edits" : "generations",
          admitted.request().modelOrDefault(), Job.Status.QUEUED, clock.millis(), 0, 0, x.baseUrl(),
          admitted.fingerprint(), 0, 0, null, 1.0);
      images.putDocument(job.requestDocument(), JobRequests.write(admitted.request()));
      try {
        store.insert(job, idempotencyKey);
      } catch (SQLException e) {
        images.deleteDocument(job.requestDocument());
        Optional<Job> raced = idempotencyKey == null ? Optional.empty()
            : store.byIdempotencyKey(key.id(), idempotencyKey);
        if (raced.isEmpty()) throw new IllegalStateException("cannot keep a job: " + e.getMessage(), e);
        accepted(x, same(raced.get(), admitted.fingerprint()), true);
        return;
      }
      workers.wake();
      accepted(x, job, false);
    });
  }

  /**
   * One line of a batch, as its job stands: {@code status} a job status' wire name; {@code errorStatus} and
   * {@code error} (spec §8's error object as JSON text) once it failed.
   */
  public record Line(String jobId, int lineNo, String customId, String status, int errorStatus, String error) {
    public boolean finished() { return !status.equals("queued") && !status.equals("running"); }
  }

  /**
   * Submits one line of a batch as a job, through the same checks as {@link #submit} (scope, body, model,
   * validation, rate limit, budget) but for the per-key cap on queued jobs, which a batch's lines do not count
   * against. A line refused is kept as a job already failed with that error, so that every line of the batch is
   * one job and its outcome is in one place.
   *
   * @param priceFactor what the line's charge's list price is multiplied by (the batch discount)
   */
  public void submitLine(ApiKey key, Operation operation, String baseUrl, String batchId, int lineNo,
      String customId, double priceFactor, ImageService.Body body) throws IOException {
    String id = newId();
    String endpoint = operation == Operation.EDIT ? "edits" : "generations";
    try {
      service.submit(new LineExchange(id, "/v1/images/" + endpoint, baseUrl), key, operation, -1, body, admitted -> {
        Job job = new Job(id, key.id(), endpoint, admitted.request().modelOrDefault(), Job.Status.QUEUED,
            clock.millis(), 0, 0, baseUrl, admitted.fingerprint(), 0, 0, null, priceFactor);
        images.putDocument(job.requestDocument(), JobRequests.write(admitted.request()));
        insertLine(job, batchId, lineNo, customId);
      });
    } catch (ApiException e) {
      insertLine(new Job(id, key.id(), endpoint, "", Job.Status.FAILED, clock.millis(), 0, 0, baseUrl, null, 0,
          e.status(), JobAnswers.error(e), priceFactor), batchId, lineNo, customId);
    }
    workers.wake();
  }

  /** The key of that id as it is now, if it may still call: neither revoked, disabled nor expired. */
  public Optional<ApiKey> usableKey(String id) {
    if (io.imagegate.auth.Authenticator.MASTER.id().equals(id)) return Optional.of(io.imagegate.auth.Authenticator.MASTER);
    return keys.get(id).filter(k -> !k.revoked() && !k.disabled() && !k.expired(clock.instant()));
  }

  /** The settings the jobs run under. */
  public JobSettings settings() { return settings; }

  /** A batch's lines in line order. */
  public List<Line> lines(String batchId) { return store.lines(batchId); }

  /** Cancels the lines of a batch that have not started (those running finish); returns how many. */
  public int cancelQueuedLines(String batchId) { return store.cancelQueuedLines(batchId, clock.millis()); }

  /** The answer of a line that succeeded, the body the synchronous call would have answered; null when gone. */
  public InputStream openResult(String jobId) throws IOException {
    return images.openDocument("job-" + jobId + ".result.json");
  }

  private void insertLine(Job job, String batchId, int lineNo, String customId) {
    try {
      store.insertLine(job, batchId, lineNo, customId);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot keep a batch line: " + e.getMessage(), e);
    }
  }

  /** {@code GET /v1/images/jobs/{id}}: the job, with its answer once it succeeded. */
  public Answer get(ApiKey key, String id) throws IOException {
    Job job = visible(key, id);
    byte[] result = null;
    if (job.status() == Job.Status.SUCCEEDED) {
      try (InputStream in = images.openDocument(job.resultDocument())) {
        if (in == null) throw new ApiException(410, "invalid_request_error", null, "job_result_gone", "This job's"
            + " answer is no longer kept.");
        result = in.readAllBytes();
      }
    }
    return new Answer(200, job.status().finished() ? Map.of() : Map.of("Retry-After", RETRY_AFTER),
        JobAnswers.job(job, result, settings.retention()));
  }

  /** {@code GET /v1/images/jobs}: the key's jobs, newest first, {@code limit} (1 to 100, default 20) a page. */
  public Answer list(ApiKey key, String limit, String after) throws IOException {
    int n = 20;
    if (limit != null) {
      try {
        n = Integer.parseInt(limit);
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 1 || n > 100) throw ApiException.invalidValue("limit", "'limit' must be a whole number from 1 to 100.");
    }
    if (after != null && !after.matches("job_[0-9a-f]{1,60}")) {
      throw ApiException.invalidValue("after", "'after' must be the id of a job, as a page's last_id gives it.");
    }
    List<Job> jobs = store.list(key.id(), after, n + 1);
    boolean more = jobs.size() > n;
    return new Answer(200, Map.of(), JobAnswers.list(more ? jobs.subList(0, n) : jobs, more, settings.retention()));
  }

  /**
   * {@code DELETE /v1/images/jobs/{id}}: cancels a queued or running job. A running job's upstream call is
   * stopped; it is charged only if the upstream had already answered. 409 when it had already finished.
   */
  public Answer cancel(ApiKey key, String id) throws IOException {
    Job job = visible(key, id);
    if (!store.cancel(job.id(), clock.millis())) {
      throw new ApiException(409, "invalid_request_error", null, "job_finished", "This job has already finished ("
          + store.get(id).map(j -> j.status().wire()).orElse("deleted") + "); there is nothing to cancel.");
    }
    workers.cancelled(job.id());
    return new Answer(200, Map.of(), JobAnswers.job(store.get(id).orElseThrow(), null, settings.retention()));
  }

  /** Expires jobs queued past the retention and deletes jobs (and their documents) finished before it. */
  public void purgeExpired() {
    long now = clock.millis();
    long cutoff = now - settings.retention().toMillis();
    store.expireQueued(cutoff, now);
    for (Job job : store.finishedBefore(cutoff)) {
      try {
        images.deleteDocument(job.requestDocument());
        images.deleteDocument(job.resultDocument());
        store.delete(job.id());
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot purge job {}: {}", job.id(), e.getMessage());
      }
    }
  }

  /** Stops this instance's workers; the jobs they were running go back to the queue. */
  @Override
  public void close() { workers.close(); }

  private Job visible(ApiKey key, String id) {
    Optional<Job> job = id == null ? Optional.empty() : store.get(id);
    if (job.isEmpty() || !(job.get().keyId().equals(key.id()) || key.admin())) {
      throw new ApiException(404, "invalid_request_error", null, "job_not_found", "No job with id '" + id + "'.");
    }
    return job.get();
  }

  private static Job same(Job earlier, String fingerprint) {
    if (!fingerprint.equals(earlier.fingerprint())) {
      throw new ApiException(409, "invalid_request_error", null, "idempotency_key_reused", "This Idempotency-Key"
          + " was used for a different request; use a new key for a new request.");
    }
    return earlier;
  }

  private void accepted(Exchange x, Job job, boolean replayed) throws IOException {
    x.header("Location", "/v1/images/jobs/" + job.id());
    x.header("Retry-After", RETRY_AFTER);
    if (replayed) x.header(ImageService.REPLAYED_HEADER, "true");
    try (OutputStream out = x.open(202, "application/json")) {
      out.write(JobAnswers.job(job, null, settings.retention()));
    }
  }

  /** {@code job_} and 24 hex digits: 12 of the time in milliseconds (so ids sort by creation) and 12 random. */
  private String newId() {
    byte[] random = new byte[6];
    RANDOM.nextBytes(random);
    return "job_" + String.format("%012x", clock.millis()) + HexFormat.of().formatHex(random);
  }
}
