package io.imagegate.engine;

import io.imagegate.api.ApiException;
import io.imagegate.api.ImageOptions;
import io.imagegate.api.Operation;
import io.imagegate.config.Capabilities;
import io.imagegate.config.RetryConfig;
import io.imagegate.metrics.GatewayMetrics;
import io.imagegate.provider.ImageBatch;
import io.imagegate.provider.ImageJob;
import io.imagegate.provider.ImageProvider;
import io.imagegate.provider.UpstreamException;
import io.imagegate.trace.ServerSpan;
import io.imagegate.trace.UpstreamSpan;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The deployments of one route, tried in order until one answers: the best-priority tier first, weighted
 * random within a tier, then the next tier as fallback. Each deployment gets up to {@code max_attempts} tries
 * on retryable failures, with exponential backoff and jitter that honours the upstream's retry hints, all
 * within one total deadline. A request the upstream refuses goes back to the client as it is; a deployment
 * whose circuit breaker is open is skipped.
 */
final class DeploymentChain implements ImageProvider {
  static final String ATTEMPTS_HEADER = "x-imagegate-attempts";

  private final String route;
  private final List<Deployment> deployments;
  private final RetryConfig retry;
  private final GatewayMetrics metrics;

  DeploymentChain(String route, List<Deployment> deployments, RetryConfig retry, GatewayMetrics metrics) {
    this.route = route;
    this.deployments = List.copyOf(deployments);
    this.retry = retry;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return deployments.stream().map(d -> d.provider.name()).distinct().reduce((a, b) -> a + "," + b).orElse("");
  }

  List<Deployment> deployments() { return deployments; }

  /** What the attempts of one request came to so far. */
  private static final class Trace {
    final List<String> attempts = new ArrayList<>();
    UpstreamException last;
    Deployment firstBusy;
    /** The deployment last found at its max_concurrent. */
    Deployment lastBusy;
    /** Whether a deployment with a wait queue was found full (its places, or its queue too). */
    boolean queueBusy;
    /** Upstream calls made so far. */
    int tries;

    String joined() { return String.join(",", attempts); }
  }

  /**
   * Tries the eligible deployments in order. A deployment at its {@code max_concurrent} is passed over at
   * once, so that another of its tier takes the call; when every deployment of a tier was full or failed, the
   * call waits (within its deadline, in the order calls came) in the shortest of that tier's queues that has
   * room ({@code max_queue}), and only then goes on to the next tier. When every deployment was full and none
   * failed, a call with a queue somewhere gets 503 with {@code Retry-After} at once (the queues are full);
   * without any queue it waits {@code busy_wait} at most for the first of them, and then gets that 503.
   * Fullness is the gateway's own limit, so it never counts against a deployment's circuit breaker.
   */
  @Override
  public ImageBatch start(ImageJob job, long deadline) {
    List<Deployment> ordered = order(eligible(job));
    Trace trace = new Trace();
    for (int i = 0; i < ordered.size(); ) {
      int priority = ordered.get(i).config.priority();
      Deployment shortest = null;
      for (; i < ordered.size() && ordered.get(i).config.priority() == priority; i++) {
        Deployment d = ordered.get(i);
        trace.lastBusy = null;
        ImageBatch batch = attempt(d, job, deadline, trace, 0, false);
        if (batch != null) return batch;
        if (trace.lastBusy == d && d.queues()) {
          trace.queueBusy = true;
          if (d.queueHasRoom() && (shortest == null || d.waiting() < shortest.waiting())) shortest = d;
        }
      }
      if (shortest != null) {
        ImageBatch batch = attempt(shortest, job, deadline, trace, 0, true);
        if (batch != null) return batch;
      }
    }
    if (trace.last == null && trace.firstBusy != null) {
      if (trace.queueBusy) throw busy(trace);
      long wait = Math.min(retry.busyWait().toNanos(), deadline - System.nanoTime());
      ImageBatch batch = attempt(trace.firstBusy, job, deadline, trace, Math.max(wait, 0), false);
      if (batch != null) return batch;
      if (trace.last == null) throw busy(trace);
    }
    throw failed(trace.attempts, trace.last);
  }

  /**
   * Up to {@code max_attempts} tries on one deployment; null when they all failed or it was busy.
   *
   * @param queued wait in the deployment's queue for a place (until the deadline) instead of {@code busyWaitNanos}
   */
  private ImageBatch attempt(Deployment d, ImageJob job, long deadline, Trace trace, long busyWaitNanos,
      boolean queued) {
    if (!d.breaker.tryAcquire()) {
      trace.attempts.add(d.name() + ":open");
      return null;
    }
    for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
      if (deadline - System.nanoTime() <= 0) {
        // Out of time before the call: give back what tryAcquire took. If it made this request the
        // half-open probe, keeping it would leave the deployment skipped ("open") for good.
        d.breaker.release();
        if (trace.last == null) {
          trace.last = UpstreamException.timeout("the request's total deadline of " + seconds(retry.totalDeadline())
              + " s ran out");
        }
        return null;
      }
      try {
        if (queued) {
          Deployment.Queued q = d.enterQueued(deadline);
          if (q != Deployment.Queued.ENTERED) {
            d.breaker.release();
            if (q == Deployment.Queued.QUEUE_FULL) {
              trace.attempts.add(d.name() + ":queue_full");
            } else {
              trace.attempts.add(d.name() + ":queued");
              if (trace.last == null) {
                trace.last = UpstreamException.timeout("the request's total deadline of "
                    + seconds(retry.totalDeadline()) + " s ran out while it waited in the queue of " + d.name());
              }
            }
            return null;
          }
        } else if (!d.enter(busyWaitNanos)) {
          trace.attempts.add(d.name() + ":busy");
          if (trace.firstBusy == null) trace.firstBusy = d;
          trace.lastBusy = d;
          d.breaker.release();
          return null;
        }
      } catch (InterruptedException e) {
        d.breaker.release(); // as above: never keep a probe slot that no call will use
        Thread.currentThread().interrupt();
        throw UpstreamException.cancelled();
      }
      String kind = trace.tries == 0 ? "first" : attempt > 1 ? "retry" : "fallback";
      trace.tries++;
      UpstreamSpan span = span(d, job, kind);
      long started = System.nanoTime();
      try {
        ImageBatch batch;
        try (Scope traced = span.makeCurrent()) {
          batch = d.provider.start(job, deadline);
        }
        long took = System.nanoTime() - started;
        metrics.attempt(route, d.provider.name(), d.name(), kind, "200", took);
        span.answered();
        d.stats.success(took);
        d.breaker.success();
        trace.attempts.add(d.name() + ":200");
        return new RoutedBatch(batch, d, trace.joined());
      } catch (UpstreamException e) {
        long took = System.nanoTime() - started;
        metrics.attempt(route, d.provider.name(), d.name(), kind, e.label(), took);
        span.failed(e);
        // a refused request or a client that left says nothing about the deployment's health
        if (e.kind() != UpstreamException.Kind.CANCELLED && e.kind() != UpstreamException.Kind.REFUSED) {
          d.stats.failure(took, e.label(), e.getMessage(), java.time.Instant.now());
        }
        d.leave();
        trace.attempts.add(d.name() + ":" + e.label());
        trace.last = e;
        if (e.kind() == UpstreamException.Kind.REFUSED) {
          d.breaker.release();
          throw refused(e).withHeader(ATTEMPTS_HEADER, trace.joined());
        }
        if (e.kind() == UpstreamException.Kind.CANCELLED) {
          d.breaker.release(); // the client left: says nothing about the deployment's health
          throw e;
        }
        d.breaker.failure();
        if (e.kind() == UpstreamException.Kind.CREDENTIALS || Boolean.FALSE.equals(e.shouldRetry())) return null;
        if (attempt == retry.maxAttempts()) return null;
        Duration wait = backoff(attempt, e.retryAfter());
        if (System.nanoTime() + wait.toNanos() - deadline >= 0) return null;
        if (!sleep(wait)) throw UpstreamException.cancelled();
        if (!d.breaker.tryAcquire()) return null;
      } catch (RuntimeException e) {
        span.failed(e);
        d.leave();
        d.breaker.release();
        throw e;
      }
    }
    return null;
  }

  /** The span of one try, under the request's: the model it sends, and where the upstream is. */
  private UpstreamSpan span(Deployment d, ImageJob job, String kind) {
    String model = d.config.model() != null ? d.config.model() : job.options().model().id();
    return ServerSpan.current().attempt(route, d.provider.name(), d.name(), kind,
        job.inputs().isEmpty() ? Operation.GENERATION : Operation.EDIT, model,
        d.config.baseUrl());
  }

  /**
   * Every deployment of the route is at its {@code max_concurrent} (and its queue, if it has one, is full): a
   * quick 503 the SDKs retry, after about the time the shortest queue takes to move on by one call when its
   * latency is known (its median answer time × its waiting calls per place, 1 to 60 s).
   */
  private ApiException busy(Trace trace) {
    long seconds = Math.max(1, retry.busyWait().toSeconds());
    if (trace.queueBusy) seconds = queueRetryAfter(seconds);
    String full = trace.queueBusy ? " and as many waiting as its queue holds (max_queue)" : "";
    return new ApiException(503, "server_error", null, "deployments_busy", "Every upstream serving '" + route
        + "' has as many calls in flight as it is allowed (max_concurrent)" + full + "; try again shortly.")
        .withHeader("Retry-After", String.valueOf(seconds))
        .withHeader(ATTEMPTS_HEADER, trace.joined());
  }

  private long queueRetryAfter(long dflt) {
    long best = Long.MAX_VALUE;
    for (Deployment d : deployments) {
      Double p50 = d.queues() ? d.stats.snapshot().p50Millis() : null;
      if (p50 == null) continue;
      double perCall = p50 / 1000.0 * (d.waiting() + 1) / d.config.maxConcurrent();
      best = Math.min(best, (long) Math.ceil(perCall));
    }
    return best == Long.MAX_VALUE ? dflt : Math.max(1, Math.min(60, best));
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? String.valueOf(d.toSeconds()) : String.valueOf(d.toMillis() / 1000.0);
  }

  /** Deployments able to serve this request; a field none of them supports is refused before any call. */
  private List<Deployment> eligible(ImageJob job) {
    List<Deployment> able = new ArrayList<>();
    ApiException firstRefusal = null;
    for (Deployment d : deployments) {
      ApiException refusal = unsupported(job, d);
      if (refusal == null) able.add(d);
      else if (firstRefusal == null) firstRefusal = refusal;
    }
    if (able.isEmpty()) throw firstRefusal;
    return able;
  }

  private ApiException unsupported(ImageJob job, Deployment d) {
    ImageOptions o = job.options();
    Capabilities c = d.supports();
    String where = " by the upstream serving " + route + " (" + d.name() + ")";
    if (o.size() != null && !c.allowsSize(o.size().width(), o.size().height())) {
      return ApiException.invalidValue("size", "Size " + o.size() + " is not supported" + where + "; it takes "
          + String.join(", ", c.sizes()) + ".");
    }
    if (o.background() == io.imagegate.api.Background.TRANSPARENT && !c.transparent()) {
      return ApiException.invalidValue("background", "A transparent background is not supported" + where + ".");
    }
    if (o.format() == io.imagegate.api.OutputFormat.WEBP && !c.webp()) {
      return ApiException.invalidValue("output_format", "webp output is not supported" + where + "; use png or jpeg.");
    }
    if (o.partialImages() > 0 && !c.streaming()) {
      return ApiException.invalidValue("partial_images", "Partial images (streaming) are not supported" + where
          + "; remove 'partial_images'.");
    }
    if (o.inputFidelity() != null && !c.inputFidelity()) {
      return ApiException.invalidValue("input_fidelity", "'input_fidelity' is not supported" + where + "; remove it.");
    }
    if (job.inputs().size() > c.maxEditImages()) {
      return ApiException.invalidValue("image", job.inputs().size() + " input images are more than the "
          + c.maxEditImages() + " accepted" + where + ".");
    }
    return d.provider.refusal(job);
  }

  /** Priority tiers in order; within a tier a weighted random order (weighted sampling without replacement). */
  static List<Deployment> order(List<Deployment> eligible) {
    if (eligible.size() == 1) return eligible; // the usual route: nothing to order
    List<Deployment> ordered = new ArrayList<>(eligible.size());
    eligible.stream().map(d -> d.config.priority()).distinct().sorted().forEach(priority -> {
      List<Deployment> tier = new ArrayList<>(eligible.stream().filter(d -> d.config.priority() == priority).toList());
      while (!tier.isEmpty()) {
        int total = tier.stream().mapToInt(d -> d.config.weight()).sum();
        int pick = ThreadLocalRandom.current().nextInt(total);
        for (int i = 0; i < tier.size(); i++) {
          pick -= tier.get(i).config.weight();
          if (pick < 0) {
            ordered.add(tier.remove(i));
            break;
          }
        }
      }
    });
    return ordered;
  }

  /** The upstream's hint when it gave one, else base·2^(attempt−1) capped, with full jitter in [½, 1]. */
  Duration backoff(int attempt, Duration hint) {
    if (hint != null) return hint.compareTo(retry.maxDelay()) > 0 ? retry.maxDelay() : hint;
    long base = retry.baseDelay().toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(base, retry.maxDelay().toMillis());
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  private static boolean sleep(Duration wait) {
    try {
      Thread.sleep(wait);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static ApiException refused(UpstreamException e) {
    int status = e.status() >= 400 && e.status() < 500 ? e.status() : 400;
    String type = e.type() != null ? e.type() : "invalid_request_error";
    return new ApiException(status, type, e.param(), e.code(), e.getMessage());
  }

  private ApiException failed(List<String> attempts, UpstreamException last) {
    boolean timeout = last != null && last.kind() == UpstreamException.Kind.TIMEOUT;
    String said = last == null ? "no deployment could take the call (all busy or cooling down)"
        : "the last upstream said: " + last.getMessage();
    // the upstream's own message usually ends with a period; don't answer "...request.."
    while (said.endsWith(".")) said = said.substring(0, said.length() - 1);
    String message = "The upstream for '" + route + "' failed after " + attempts.size() + " attempt"
        + (attempts.size() == 1 ? "" : "s") + "; " + said + ".";
    ApiException e = timeout
        ? new ApiException(504, "upstream_error", null, "upstream_timeout", message)
        : new ApiException(502, "upstream_error", null, "upstream_error", message);
    return e.withHeader(ATTEMPTS_HEADER, String.join(",", attempts));
  }
}
