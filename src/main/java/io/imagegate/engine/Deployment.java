package io.imagegate.engine;

import io.imagegate.config.Capabilities;
import io.imagegate.config.DeploymentConfig;
import io.imagegate.provider.ImageProvider;
import java.util.concurrent.Semaphore;

/**
 * One deployment at run time: its provider, its settings, and the state shared by every route that uses it
 * (its circuit breaker and its optional bound on calls in flight, {@code max_concurrent}).
 */
final class Deployment {
  final DeploymentConfig config;
  final ImageProvider provider;
  final CircuitBreaker breaker;
  final DeploymentStats stats = new DeploymentStats();
  private final Semaphore inFlight;

  Deployment(DeploymentConfig config, ImageProvider provider, CircuitBreaker breaker) {
    this.config = config;
    this.provider = provider;
    this.breaker = breaker;
    this.inFlight = config.maxConcurrent() > 0 ? new Semaphore(config.maxConcurrent(), true) : null;
  }

  /** Takes a place among this deployment's calls in flight, waiting up to {@code nanos}; always, without a cap. */
  boolean enter(long nanos) throws InterruptedException {
    if (inFlight == null) return true;
    return nanos <= 0 ? inFlight.tryAcquire() : inFlight.tryAcquire(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** Gives back the place {@link #enter} took. */
  void leave() {
    if (inFlight != null) inFlight.release();
  }

  String name() { return config.name(); }

  Capabilities supports() { return config.supports(); }
}
