package io.imagegate.engine;

import io.imagegate.config.Capabilities;
import io.imagegate.config.DeploymentConfig;
import io.imagegate.provider.ImageProvider;
import java.util.concurrent.Semaphore;

/**
 * One deployment at run time: its provider, its settings, and the state shared by every route that uses it
 * (its circuit breaker and its bound on calls in flight).
 */
final class Deployment {
  final DeploymentConfig config;
  final ImageProvider provider;
  final CircuitBreaker breaker;
  final Semaphore inFlight;

  Deployment(DeploymentConfig config, ImageProvider provider, CircuitBreaker breaker) {
    this.config = config;
    this.provider = provider;
    this.breaker = breaker;
    this.inFlight = new Semaphore(config.maxConcurrent(), true);
  }

  String name() { return config.name(); }

  Capabilities supports() { return config.supports(); }
}
