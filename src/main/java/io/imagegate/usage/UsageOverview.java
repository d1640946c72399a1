package io.imagegate.usage;

import java.time.Instant;
import java.util.List;

/**
 * The ledger over an {@link OverviewWindow}, from the rollup: whole hours {@code [from, to)}, the last one the
 * current hour (still filling). {@code errors} counts statuses 400 and up.
 *
 * @param latency estimated from the rollup's latency buckets; null when there was no request
 * @param outcomes requests per failed outcome (status ≥ 400), most first
 * @param series every bucket of the window, oldest first, empty ones included
 */
public record UsageOverview(OverviewWindow window, Instant from, Instant to, long requests, long errors, long images,
    double costUsd, Latency latency, List<OutcomeCount> outcomes, List<Bucket> series) {

  /** Estimated percentiles of request latency, in milliseconds. */
  public record Latency(double p50Ms, double p95Ms) {}

  /** How many requests ended with one outcome. */
  public record OutcomeCount(UsageOutcome outcome, long requests) {}

  /** One hour or UTC day of the series; {@code start} is its first instant. */
  public record Bucket(Instant start, long requests, long errors, long images, double costUsd) {}
}
