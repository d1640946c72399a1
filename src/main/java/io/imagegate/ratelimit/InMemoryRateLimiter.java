package io.imagegate.ratelimit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * {@link RateLimiter} for one instance: a {@link ConcurrentHashMap} of immutable per-key states, each
 * acquire one atomic {@code compute} on its key (so both budgets are checked and taken together). Memory is
 * bounded by the keys active in the last two minutes: at most once per {@link #IDLE}, an acquire evicts the
 * keys untouched for longer, whose buckets are full again anyway (a bucket is full one minute after its
 * last take at the latest).
 */
public final class InMemoryRateLimiter implements RateLimiter {
  static final long IDLE = Duration.ofMinutes(2).toNanos();
  private static final Duration NEVER_RETRY = Duration.ofMinutes(1);

  /** A key's two buckets and when it was last touched. */
  private record State(Bucket requests, Bucket images, long touched) {}

  private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;
  private final AtomicLong lastSweep;

  /** A limiter on {@link System#nanoTime()}. */
  public InMemoryRateLimiter() { this(System::nanoTime); }

  /** A limiter on the given monotonic nanosecond clock (for tests). */
  InMemoryRateLimiter(LongSupplier nanoClock) {
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.lastSweep = new AtomicLong(nanoClock.getAsLong());
  }

  @Override
  public Decision acquire(String keyId, Integer rpm, Integer ipm, int images) {
    LimitArguments.check(keyId, rpm, ipm, images);
    long now = nanoClock.getAsLong();
    Decision[] out = new Decision[1];
    states.compute(keyId, (k, old) -> {
      Bucket req = old == null ? Bucket.empty(now) : old.requests();
      Bucket img = old == null ? Bucket.empty(now) : old.images();
      if (rpm != null) req = req.drain(now, rpm);
      if (ipm != null) img = img.drain(now, ipm);
      long reqWait = rpm == null ? 0 : req.waitFor(1, rpm);
      long imgWait = ipm == null ? 0 : img.waitFor(images, ipm);
      boolean allowed = reqWait == 0 && imgWait == 0;
      if (allowed) {
        req = req.take(rpm == null ? 0 : 1);
        img = img.take(ipm == null ? 0 : images);
      }
      Duration retry = allowed ? null
          : imgWait < 0 ? NEVER_RETRY : Duration.ofNanos(Math.max(reqWait, imgWait));
      out[0] = new Decision(allowed, rpm == null ? null : req.window(rpm),
          ipm == null ? null : img.window(ipm), retry);
      return new State(req, img, now);
    });
    sweep(now);
    return out[0];
  }

  /** Keys held now (for tests). */
  int size() { return states.size(); }

  private void sweep(long now) {
    long last = lastSweep.get();
    if (now - last < IDLE || !lastSweep.compareAndSet(last, now)) return;
    for (String key : states.keySet()) {
      states.computeIfPresent(key, (k, s) -> now - s.touched() > IDLE ? null : s);
    }
  }
}
