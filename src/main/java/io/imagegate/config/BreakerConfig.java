package io.imagegate.config;

import java.time.Duration;

/**
 * The circuit breaker of each deployment.
 *
 * @param failureThreshold consecutive failures that open it
 * @param coolDown how long it stays open before one probe call is let through
 */
public record BreakerConfig(int failureThreshold, Duration coolDown) {

  /** Opens after 5 consecutive failures, probes after 30 s. */
  public static BreakerConfig defaults() { return new BreakerConfig(5, Duration.ofSeconds(30)); }
}
