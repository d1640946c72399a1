package io.imagegate.batch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.imagegate.api.ImageRequestReader;
import io.imagegate.api.Operation;
import io.imagegate.auth.ApiKey;
import io.imagegate.jobs.ImageJobs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves this store's open batches along, on any instance: validates and submits those {@code validating},
 * cancels the queued lines of those {@code cancelling} or past their window, and finalizes those whose lines
 * have all ended. One thread, every {@link #TICK} and when woken.
 *
 * <p>Implementation notes: validating and finalizing are each claimed (see {@link JdbcBatchStore}) for
 * {@link #CLAIM}; an instance that dies holding one leaves it to be taken up when that runs out, one that
 * closes gives it up at once. Submitting is resumable: lines already kept as jobs (by their line number) are
 * not submitted again. The batch's key is read again by its id: a batch runs under its key's limits as they
 * are when it runs.
 */
final class BatchRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);
  private static final Duration TICK = Duration.ofMillis(250);
  private static final Duration CLAIM = Duration.ofMinutes(2);

  private final JdbcBatchStore store;
  private final BatchFiles files;
  private final ImageJobs jobs;
  private final double discount;
  private final Clock clock;
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "imagegate-batch-runner");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closed;

  BatchRunner(JdbcBatchStore store, BatchFiles files, ImageJobs jobs, double discount, Clock clock) {
    this.store = store;
    this.files = files;
    this.jobs = jobs;
    this.discount = discount;
    this.clock = clock;
  }

  BatchRunner start() {
    thread.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** A batch was created or cancelled here: look now rather than at the next tick. */
  void wake() {
    if (!closed) thread.execute(this::tick);
  }

  private void tick() {
    List<Batch> open;
    try {
      open = store.open();
    } catch (RuntimeException e) {
      LOG.warn("cannot read the open batches: {}", e.getMessage());
      return;
    }
    for (Batch b : open) {
      if (closed) return;
      try {
        step(b);
      } catch (IOException | RuntimeException e) {
        LOG.warn("batch {} could not move on: {}", b.id(), e.getMessage());
      } finally {
        if (held.remove(b.id())) store.release(b.id());
      }
    }
  }

  private void step(Batch b) throws IOException {
    long now = clock.millis();
    switch (b.status()) {
      case "validating" -> {
        if (claim(b, "validating", "validating", null, now)) validate(b);
      }
      case "cancelling" -> {
        jobs.cancelQueuedLines(b.id());
        if (b.inProgressAt() == 0) {
          // cancelled while validating, and its validator died: what it submitted is the whole batch
          if (claim(b, "cancelling", "cancelling", null, now)) store.started(b.id(), jobs.lines(b.id()).size(), now);
          return;
        }
        finishIfDone(b, now);
      }
      case "in_progress" -> {
        if (now >= b.expiresAt()) jobs.cancelQueuedLines(b.id());
        finishIfDone(b, now);
      }
      case "finalizing" -> {
        if (claim(b, "finalizing", "finalizing", null, now)) finalizeBatch(store.batch(b.id()).orElseThrow());
      }
      default -> { }
    }
  }

  private boolean claim(Batch b, String from, String to, String stamp, long now) {
    if (!store.claim(b.id(), from, to, stamp, now, now + CLAIM.toMillis())) return false;
    held.add(b.id());
    return true;
  }

  private void validate(Batch b) throws IOException {
    StoredFile input = store.file(b.inputFileId()).orElse(null);
    int[] total = {0};
    ArrayNode errors;
    if (input == null) {
      errors = BatchAnswers.JSON.createArrayNode();
      errors.addObject().put("code", "file_not_found").put("message", "The input file " + b.inputFileId()
          + " was deleted before the batch ran.").putNull("param").putNull("line");
    } else {
      try (InputStream in = files.open(input)) {
        errors = in == null ? null : BatchInput.validate(in, b.endpoint(), total);
      }
    }
    if (errors != null) {
      store.failed(b.id(), errors.toString(), clock.millis());
      return;
    }
    ApiKey key = jobs.usableKey(b.keyId()).orElse(null);
    if (key == null) {
      errors = BatchAnswers.JSON.createArrayNode();
      errors.addObject().put("code", "invalid_api_key").put("message", "The API key that created this batch was"
          + " revoked, disabled or has expired before the batch ran.").putNull("param").putNull("line");
      store.failed(b.id(), errors.toString(), clock.millis());
      return;
    }
    Operation operation = ImageBatches.ENDPOINTS.get(b.endpoint());
    Set<Integer> kept = new HashSet<>();
    for (ImageJobs.Line line : jobs.lines(b.id())) kept.add(line.lineNo());
    try (InputStream in = files.open(input)) {
      BatchInput.forEach(in, line -> {
        if (closed) throw new IOException("the gateway is stopping");
        if (kept.contains(line.number())) return;
        jobs.submitLine(key, operation, b.baseUrl(), b.id(), line.number(), line.customId(), discount,
            () -> withFiles(key, ImageRequestReader.fromJson(line.body(), operation)));
      });
    }
    store.started(b.id(), total[0], clock.millis());
  }

  private io.imagegate.api.ImageRequest withFiles(ApiKey key, io.imagegate.api.ImageRequest r) {
    try {
      return files.withFiles(key, r);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void finishIfDone(Batch b, long now) throws IOException {
    List<ImageJobs.Line> lines = jobs.lines(b.id());
    if (lines.size() < b.total() || !lines.stream().allMatch(ImageJobs.Line::finished)) return;
    if (claim(b, b.status(), "finalizing", "finalizing_at", now)) finalizeBatch(store.batch(b.id()).orElseThrow());
  }

  private void finalizeBatch(Batch b) throws IOException {
    boolean cancelled = b.cancellingAt() != 0;
    boolean expired = !cancelled && b.finalizingAt() >= b.expiresAt();
    try (BatchOutput out = new BatchOutput()) {
      for (ImageJobs.Line line : jobs.lines(b.id())) out.add(line, jobs, expired);
      out.finish();
      expired = expired && out.skipped > 0;
      String outputId = out.hasOutput() ? keep(b, out.output, "output") : null;
      String errorId = out.hasErrors() ? keep(b, out.errors, "errors") : null;
      String status = cancelled ? "cancelled" : expired ? "expired" : "completed";
      String stamp = cancelled ? "cancelled_at" : expired ? "expired_at" : "completed_at";
      store.ended(b.id(), status, stamp, clock.millis(), outputId, errorId, out.completed, out.failed);
    }
  }

  private String keep(Batch b, java.nio.file.Path file, String what) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return files.keepOutput(b.keyId(), b.id() + "_" + what + ".jsonl", in, Files.size(file)).id();
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.shutdown();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
