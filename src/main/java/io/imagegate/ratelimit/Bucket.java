package io.imagegate.ratelimit;

/**
 * One token bucket in exact integer arithmetic, immutable. {@code debt} is the spent part in units of
 * {@link #WINDOW} (one unit spent adds {@code WINDOW}); it drains by {@code limit} per nanosecond, so a
 * budget of {@code limit} units refills fully in one minute. The stored value does not depend on the limit,
 * so a changed limit takes effect at once. {@code asOf} is the nano-clock reading the debt is valid at.
 * This is GCRA in other words ({@code debt / limit} is the theoretical arrival time minus now), and fits a
 * Redis script just as well.
 */
record Bucket(long debt, long asOf) {
  /** One minute in nanoseconds. */
  static final long WINDOW = 60_000_000_000L;
  /** The largest limit: keeps {@code debt + cost * WINDOW} within a long. */
  static final int MAX_LIMIT = 50_000_000;

  static Bucket empty(long now) { return new Bucket(0, now); }

  /** This bucket as of {@code now} (never earlier than {@code asOf}). */
  Bucket drain(long now, int limit) {
    long elapsed = now - asOf;
    if (elapsed <= 0) return this;
    long drained = elapsed >= ceilDiv(debt, limit) ? debt : elapsed * limit;
    return new Bucket(debt - drained, now);
  }

  /** Nanoseconds until {@code cost} units fit: 0 when they fit now, -1 when they never can ({@code cost > limit}). */
  long waitFor(int cost, int limit) {
    if (cost > limit) return -1;
    long excess = debt + cost * WINDOW - limit * WINDOW;
    return excess <= 0 ? 0 : ceilDiv(excess, limit);
  }

  Bucket take(int cost) { return new Bucket(debt + cost * WINDOW, asOf); }

  /** The window to report: whole units left, and the time until the debt is gone. */
  Window window(int limit) {
    long remaining = Math.max(0, (limit * WINDOW - debt) / WINDOW);
    return new Window(limit, (int) remaining, java.time.Duration.ofNanos(ceilDiv(debt, limit)));
  }

  private static long ceilDiv(long a, long b) { return Math.ceilDiv(a, b); }
}
