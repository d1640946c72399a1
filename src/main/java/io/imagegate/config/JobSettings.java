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
 */
public record JobSettings(int workers, int maxQueuedPerKey, Duration retention, Duration lease) {

  static JobSettings fromEnvironment(Map<String, String> env) {
    return new JobSettings(integer(env, "IMAGEGATE_JOB_WORKERS", 4, 0, 1024),
        integer(env, "IMAGEGATE_JOB_MAX_QUEUED_PER_KEY", 100, 1, 1_000_000),
        Duration.ofHours(integer(env, "IMAGEGATE_JOB_RETENTION_HOURS", 24, 1, 24 * 90)),
        Duration.ofSeconds(integer(env, "IMAGEGATE_JOB_LEASE_SECONDS", 30, 3, 3600)));
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
