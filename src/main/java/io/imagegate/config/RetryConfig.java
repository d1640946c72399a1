package io.imagegate.config;

import java.time.Duration;

/**
 * How failed upstream calls are retried.
 *
 * @param maxAttempts attempts per deployment, at least 1 (1 = no retry)
 * @param baseDelay the base of the exponential backoff (with jitter) between attempts
 * @param maxDelay the longest wait between two attempts
 * @param totalDeadline the time all attempts and fallbacks of one request may take together
 * @param busyWait how long a call waits for a deployment whose {@code max_concurrent} calls are all in
 *     flight, once every deployment of its route was found full; then it is answered 503 with Retry-After
 */
public record RetryConfig(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration totalDeadline,
    Duration busyWait) {
  private static final Duration BUSY_WAIT = Duration.ofSeconds(1);

  public RetryConfig(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration totalDeadline) {
    this(maxAttempts, baseDelay, maxDelay, totalDeadline, BUSY_WAIT);
  }

  /** 3 attempts, 250 ms base, 8 s cap, 600 s in all, 1 s wait for a full deployment. */
  public static RetryConfig defaults() {
    return new RetryConfig(3, Duration.ofMillis(250), Duration.ofMillis(8000), Duration.ofSeconds(600));
  }
}
