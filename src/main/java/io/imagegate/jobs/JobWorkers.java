package io.imagegate.jobs;

import io.imagegate.api.ApiException;
import io.imagegate.api.ImageRequest;
import io.imagegate.auth.ApiKey;
import io.imagegate.auth.Authenticator;
import io.imagegate.auth.JdbcKeyStore;
import io.imagegate.engine.ImageService;
import io.imagegate.imagestore.ImageStore;
import io.imagegate.provider.UpstreamException;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's job workers: a fixed number of threads, each claiming one job at a time from the store, running
 * it through {@link ImageService#runJob} and keeping its answer; and a heartbeat that renews the leases of the
 * jobs running here and stops any that was cancelled (or taken over) meanwhile.
 *
 * <p>Implementation notes: an idle worker polls the store every {@link #IDLE_POLL}, and is woken at once by a
 * submit on this instance. On close, the jobs running here are stopped (their upstream calls cancelled, so
 * nothing is charged for them) and handed back to the queue, where another instance, or this one restarted,
 * runs them again.
 */
final class JobWorkers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobWorkers.class);
  private static final Duration IDLE_POLL = Duration.ofMillis(500);
  /** How long after its submission a job still waits for a busy deployment rather than failing with its 503. */
  static final Duration BUSY_PATIENCE = Duration.ofHours(1);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcJobStore store;
  private final ImageService service;
  private final ImageStore images;
  private final JdbcKeyStore keys;
  private final Clock clock;
  private final Duration lease;
  private final Map<String, JobExchange> running = new ConcurrentHashMap<>(); // by claim token
  private final Map<String, JobExchange> byJob = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Object idle = new Object();
  private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "imagegate-job-heartbeat");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closed;

  JobWorkers(JdbcJobStore store, ImageService service, ImageStore images, JdbcKeyStore keys, Clock clock,
      Duration lease) {
    this.store = store;
    this.service = service;
    this.images = images;
    this.keys = keys;
    this.clock = clock;
    this.lease = lease;
  }

  JobWorkers start(int workers) {
    for (int i = 0; i < workers; i++) threads.add(Thread.ofVirtual().name("imagegate-job-worker-" + i).start(this::loop));
    long beat = Math.max(1, lease.toMillis() / 3);
    heartbeats.scheduleWithFixedDelay(this::beat, beat, beat, TimeUnit.MILLISECONDS);
    return this;
  }

  /** A job was submitted here: an idle worker looks at once instead of at its next poll. */
  void wake() {
    synchronized (idle) {
      idle.notifyAll();
    }
  }

  /** A job cancelled in the store: if it runs here, its call is stopped now rather than at the next heartbeat. */
  void cancelled(String jobId) {
    JobExchange x = byJob.get(jobId);
    if (x != null) x.cancel();
  }

  private void loop() {
    while (!closed) {
      Optional<Job> claimed;
      String token = newToken();
      try {
        long now = clock.millis();
        claimed = store.claim(token, now, now + lease.toMillis());
      } catch (RuntimeException e) {
        LOG.warn("cannot claim a job: {}", e.getMessage());
        claimed = Optional.empty();
      }
      if (claimed.isPresent()) {
        try {
          run(claimed.get(), token);
        } catch (Throwable e) { // an Error too: this worker goes on; the job's lease runs out, another takes it
          LOG.error("job worker failed on job {}", claimed.get().id(), e);
        }
        continue;
      }
      synchronized (idle) {
        try {
          if (!closed) idle.wait(IDLE_POLL.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void run(Job job, String token) {
    JobExchange x = new JobExchange(job);
    running.put(token, x);
    byJob.put(job.id(), x);
    try {
      ApiKey key = key(job.keyId());
      ImageRequest request;
      try (InputStream in = images.openDocument(job.requestDocument())) {
        if (in == null) throw new IllegalStateException("the request of job " + job.id() + " is gone from the image store");
        request = JobRequests.read(in.readAllBytes());
      }
      service.runJob(x, key, request, job.id() + "." + job.attempts());
      if (x.cancelled()) return;
      if (x.aborted() || x.status() != 200) {
        fail(token, new ApiException(502, "upstream_error", null, "upstream_broke_off", "The upstream's answer"
            + " broke off before it was complete; nothing was charged."));
        return;
      }
      images.putDocument(job.resultDocument(), x.body());
      if (store.finish(token, Job.Status.SUCCEEDED, clock.millis(), 0, null)) {
        images.deleteDocument(job.requestDocument());
      } else {
        images.deleteDocument(job.resultDocument()); // cancelled or taken over meanwhile: never a second result
      }
    } catch (ApiException e) {
      if (x.cancelled()) return;
      if (busy(e) && clock.millis() - job.createdAt() < BUSY_PATIENCE.toMillis()) defer(token, e);
      else fail(token, e);
    } catch (UpstreamException e) {
      if (!x.cancelled()) fail(token, new ApiException(e.status() > 0 ? e.status() : 502, e.type(), e.param(),
          e.code(), e.getMessage()));
    } catch (IOException | RuntimeException e) {
      LOG.error("job {} failed unexpectedly", job.id(), e);
      if (!x.cancelled()) fail(token, new ApiException(500, "server_error", null, "internal_error", "The gateway"
          + " failed to run this job (job id " + job.id() + ")."));
    } finally {
      running.remove(token);
      byJob.remove(job.id());
      Thread.interrupted();
    }
  }

  /** Every deployment of the job's route was at its max_concurrent (and queue): nothing ran, nothing was charged. */
  private static boolean busy(ApiException e) { return e.status() == 503 && "deployments_busy".equals(e.code()); }

  /** Back to the queue until the answer's Retry-After (1 to 60 s) has passed: a job waits for a busy deployment. */
  private void defer(String token, ApiException e) {
    long seconds = 1;
    try {
      seconds = Math.max(1, Math.min(60, Long.parseLong(e.headers().getOrDefault("Retry-After", "1"))));
    } catch (NumberFormatException ignored) {
      // the default
    }
    try {
      store.defer(token, clock.millis() + seconds * 1000);
    } catch (RuntimeException stored) {
      LOG.warn("cannot put a job back in the queue: {}", stored.getMessage());
    }
  }

  private void fail(String token, ApiException e) {
    try {
      store.finish(token, Job.Status.FAILED, clock.millis(), e.status(), JobAnswers.error(e));
    } catch (RuntimeException stored) {
      LOG.warn("cannot record a failed job: {}", stored.getMessage());
    }
  }

  /** The key the job was submitted with, as it is now: a key revoked, disabled or expired since then runs nothing. */
  private ApiKey key(String id) {
    if (Authenticator.MASTER.id().equals(id)) return Authenticator.MASTER;
    ApiKey key = keys.get(id).orElse(null);
    if (key == null || key.revoked() || key.expired(clock.instant()) || key.disabled()) {
      throw new ApiException(401, "invalid_request_error", null, "invalid_api_key", "The API key that submitted"
          + " this job was revoked, disabled or has expired before the job ran.");
    }
    return key;
  }

  private void beat() {
    long until = clock.millis() + lease.toMillis();
    for (Map.Entry<String, JobExchange> e : running.entrySet()) {
      try {
        if (!store.heartbeat(e.getKey(), until)) e.getValue().cancel(); // cancelled, or another instance has it
      } catch (RuntimeException failed) {
        LOG.warn("cannot renew the lease of job {}: {}", e.getValue().requestId(), failed.getMessage());
      }
    }
  }

  /** {@code pid{n}-} and 16 random hex digits: the lease owner column says which process holds a job. */
  private static String newToken() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return "pid" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(b);
  }

  @Override
  public void close() {
    closed = true;
    heartbeats.shutdownNow();
    wake();
    List<String> held = List.copyOf(running.keySet());
    running.values().forEach(JobExchange::cancel);
    for (Thread t : threads) {
      try {
        t.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (String token : held) {
      try {
        store.release(token);
      } catch (RuntimeException e) {
        LOG.warn("cannot hand a job back to the queue: {}", e.getMessage());
      }
    }
  }
}
