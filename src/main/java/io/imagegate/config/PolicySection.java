package io.imagegate.config;

import java.time.Duration;
import java.util.List;

/** Reads {@code retry:} and {@code circuit_breaker:}; an absent section or key keeps its default. */
final class PolicySection {
  static final List<String> RETRY_KEYS = List.of("max_attempts", "base_delay_ms", "max_delay_ms",
      "total_deadline_seconds", "busy_wait_ms");
  static final List<String> BREAKER_KEYS = List.of("failure_threshold", "cool_down_seconds");

  private PolicySection() {}

  static RetryConfig retry(Section s) {
    RetryConfig d = RetryConfig.defaults();
    if (s == null) return d;
    int attempts = s.integer("max_attempts", d.maxAttempts(), 1, Integer.MAX_VALUE);
    // 0 ms is allowed for the delays: retrying at once is a valid (if impolite) choice
    int base = s.integer("base_delay_ms", (int) d.baseDelay().toMillis(), 0, Integer.MAX_VALUE);
    int max = s.integer("max_delay_ms", Math.max(base, (int) d.maxDelay().toMillis()), 0, Integer.MAX_VALUE);
    if (max < base) {
      throw s.error(s.node("max_delay_ms"), "must be at least base_delay_ms (" + base + "), got " + max);
    }
    long deadline = s.positiveSecondsAsMillis("total_deadline_seconds", d.totalDeadline().toMillis());
    int busy = s.integer("busy_wait_ms", (int) d.busyWait().toMillis(), 0, 60_000);
    return new RetryConfig(attempts, Duration.ofMillis(base), Duration.ofMillis(max), Duration.ofMillis(deadline),
        Duration.ofMillis(busy));
  }

  static BreakerConfig breaker(Section s) {
    BreakerConfig d = BreakerConfig.defaults();
    if (s == null) return d;
    return new BreakerConfig(s.integer("failure_threshold", d.failureThreshold(), 1, Integer.MAX_VALUE),
        Duration.ofMillis(s.positiveSecondsAsMillis("cool_down_seconds", d.coolDown().toMillis())));
  }
}
