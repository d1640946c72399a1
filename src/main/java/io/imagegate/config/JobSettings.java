package io.imagegate.config;

import java.time.Duration;
import java.util.Map;

/**
 * The settings of async image jobs ({@code Prefer: respond-async}).
 *
 * @param workers jobs this instance runs at once ({@code IMAGEGATE_JOB_WORKERS}, default 4; 0: it runs none and
 *     only takes submits, another instance on the same store runs them)
 * @param maxQueuedPerKey queued jobs one key may have before a submit is a 429 ({@code IMAGEGATE_JOB_MAX_QUEUED_PER_KEY})
 * @param retention how long a finished job and its answer are kept, and how long a job may wait queued before
 *     it expires ({@code IMAGEGATE_JOB_RETENTION_HOURS}, default 24)
 * @param lease how long a running job stays claimed without a heartbeat from its instance before another one
 *     takes it up ({@code IMAGEGATE_JOB_LEASE_SECONDS}, default 30; heartbeats every third of it)
 * @param batchDiscount what a Batch API line's list price is multiplied by in the ledger
 *     ({@code IMAGEGATE_BATCH_DISCOUNT}, default 0.5: half price, as OpenAI's Batch API; 1 for none)
 * @param maxBatchFileBytes the largest file {@code POST /v1/files} takes ({@code IMAGEGATE_BATCH_MAX_FILE_MB},
 *     default 200, OpenAI's limit for batch input)
 */
public record JobSettings(int workers, int maxQueuedPerKey, Duration retention, Duration lease,
    double batchDiscount, long maxBatchFileBytes) {

  public static final double DEFAULT_BATCH_DISCOUNT = 0.5;
  public static final long DEFAULT_MAX_BATCH_FILE_BYTES = 200L * 1024 * 1024;

  /** The jobs' settings with the batch defaults. */
  public JobSettings(int workers, int maxQueuedPerKey, Duration retention, Duration lease) {
    this(workers, maxQueuedPerKey, retention, lease, DEFAULT_BATCH_DISCOUNT, DEFAULT_MAX_BATCH_FILE_BYTES);
  }

  static JobSettings fromEnvironment(Map<String, String> env) {
    return new JobSettings(integer(env, "IMAGEGATE_JOB_WORKERS", 4, 0, 1024),
        integer(env, "IMAGEGATE_JOB_MAX_QUEUED_PER_KEY", 100, 1, 1_000_000),
        Duration.ofHours(integer(env, "IMAGEGATE_JOB_RETENTION_HOURS", 24, 1, 24 * 90)),
        Duration.ofSeconds(integer(env, "IMAGEGATE_JOB_LEASE_SECONDS", 30, 3, 3600)),
        discount(env.get("IMAGEGATE_BATCH_DISCOUNT")),
        integer(env, "IMAGEGATE_BATCH_MAX_FILE_MB", 200, 1, 200) * 1024L * 1024);
  }

  private static double discount(String raw) {
    if (raw == null || raw.isBlank()) return DEFAULT_BATCH_DISCOUNT;
    try {
      double value = Double.parseDouble(raw.trim());
      if (!(value >= 0 && value <= 1)) throw new NumberFormatException();
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("IMAGEGATE_BATCH_DISCOUNT must be a number from 0 to 1 (the factor a batch"
          + " line's price is multiplied by), not '" + raw + "'");
    }
  }

  private static int integer(Map<String, String> env, String name, int dflt, int min, int max) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) return dflt;
    try {
      int value = Integer.parseInt(raw.trim());
      if (value < min || value > max) throw new NumberFormatException();
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max
          + ", not '" + raw + "'");
    }
  }
}
