package io.imagegate.engine;

import io.imagegate.config.Capabilities;
import io.imagegate.config.DeploymentConfig;
import io.imagegate.provider.ImageProvider;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One deployment at run time: its provider, its settings, and the state shared by every route that uses it
 * (its circuit breaker, its optional bound on calls in flight, {@code max_concurrent}, and the queue of calls
 * waiting for one of those places, {@code max_queue}).
 *
 * <p>Implementation notes: the places are a fair semaphore, so the calls that wait get them in the order they came;
 * with a queue, a call that finds no waiter and a free place still takes it at once, but never ahead of a waiter
 * ({@code tryAcquire(0, …)} honours fairness, the untimed {@code tryAcquire()} would barge).
 */
final class Deployment {
  final DeploymentConfig config;
  final ImageProvider provider;
  final CircuitBreaker breaker;
  final DeploymentStats stats = new DeploymentStats();
  private final Semaphore inFlight;
  private final AtomicInteger waiting = new AtomicInteger();

  Deployment(DeploymentConfig config, ImageProvider provider, CircuitBreaker breaker) {
    this.config = config;
    this.provider = provider;
    this.breaker = breaker;
    this.inFlight = config.maxConcurrent() > 0 ? new Semaphore(config.maxConcurrent(), true) : null;
  }

  /** Takes a place among this deployment's calls in flight, waiting up to {@code nanos}; always, without a cap. */
  boolean enter(long nanos) throws InterruptedException {
    if (inFlight == null) return true;
    if (nanos <= 0) return queues() ? inFlight.tryAcquire(0, TimeUnit.NANOSECONDS) : inFlight.tryAcquire();
    return inFlight.tryAcquire(nanos, TimeUnit.NANOSECONDS);
  }

  /** Whether calls may wait here for a place ({@code max_queue} &gt; 0). */
  boolean queues() { return inFlight != null && config.maxQueue() > 0; }

  /** Calls in flight on it now, when it has a {@code max_concurrent}; else 0 (not counted). */
  int inFlight() { return inFlight == null ? 0 : config.maxConcurrent() - inFlight.availablePermits(); }

  /** Calls waiting in this deployment's queue now. */
  int waiting() { return waiting.get(); }

  /** Whether the queue has room for one more call. */
  boolean queueHasRoom() { return waiting.get() < config.maxQueue(); }

  /** The outcome of {@link #enterQueued}. */
  enum Queued { ENTERED, QUEUE_FULL, OUT_OF_TIME }

  /**
   * Joins the queue, when it has room, and waits there for a place until {@code deadline} (System.nanoTime);
   * the place taken is given back with {@link #leave}.
   */
  Queued enterQueued(long deadline) throws InterruptedException {
    if (waiting.incrementAndGet() > config.maxQueue()) {
      waiting.decrementAndGet();
      return Queued.QUEUE_FULL;
    }
    try {
      long left = deadline - System.nanoTime();
      return left > 0 && inFlight.tryAcquire(left, TimeUnit.NANOSECONDS) ? Queued.ENTERED : Queued.OUT_OF_TIME;
    } finally {
      waiting.decrementAndGet();
    }
  }

  /** Gives back the place {@link #enter} took. */
  void leave() {
    if (inFlight != null) inFlight.release();
  }

  String name() { return config.name(); }

  Capabilities supports() { return config.supports(); }
}
