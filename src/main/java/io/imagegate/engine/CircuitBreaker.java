package io.imagegate.engine;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Cools down a deployment that keeps failing: after {@code threshold} consecutive failures it is open (skipped)
 * for {@code coolDown}; then one probe call is let through, whose success closes it and whose failure opens it
 * again. Thread-safe; cheap enough to ask on every request.
 */
final class CircuitBreaker {
  private final int threshold;
  private final long coolDownNanos;
  private final LongSupplier clock;
  private int failures;
  private long openUntil;
  private boolean probing;

  CircuitBreaker(int threshold, Duration coolDown) { this(threshold, coolDown, System::nanoTime); }

  CircuitBreaker(int threshold, Duration coolDown, LongSupplier clock) {
    this.threshold = threshold;
    this.coolDownNanos = coolDown.toNanos();
    this.clock = clock;
  }

  /** Whether a call may go now; when the cool-down is over, the first caller becomes the probe. */
  synchronized boolean tryAcquire() {
    if (failures < threshold) return true;
    if (clock.getAsLong() - openUntil < 0 || probing) return false;
    probing = true;
    return true;
  }

  synchronized void success() {
    failures = 0;
    probing = false;
  }

  synchronized void failure() {
    failures++;
    if (failures >= threshold) {
      openUntil = clock.getAsLong() + coolDownNanos;
      probing = false;
    }
  }

  /** A call that was let through but came to nothing that says anything about health (e.g. refused input). */
  synchronized void release() { probing = false; }

  synchronized boolean open() { return failures >= threshold && clock.getAsLong() - openUntil < 0; }

  /** 0 closed, 1 half-open (cooled down: the next call is a probe), 2 open. */
  synchronized int state() { return failures < threshold ? 0 : open() ? 2 : 1; }
}
