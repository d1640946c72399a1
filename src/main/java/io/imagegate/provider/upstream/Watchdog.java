package io.imagegate.provider.upstream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds one attempt's whole answer, body included: when the time runs out it closes the guarded body
 * stream, which makes a blocked read fail at once; {@link #fired()} then tells a timeout from a reset.
 */
final class Watchdog {
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "imagegate-upstream-watchdog");
    t.setDaemon(true);
    return t;
  });

  private final AtomicBoolean fired = new AtomicBoolean();
  private volatile InputStream guarded;
  private final ScheduledFuture<?> task;

  private Watchdog(Duration limit) {
    task = TIMER.schedule(this::fire, limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  static Watchdog start(Duration limit) { return new Watchdog(limit); }

  InputStream guard(InputStream body) {
    guarded = body;
    if (fired.get()) fire();
    return new FilterInputStream(body) {
      @Override
      public int read() throws IOException {
        check();
        return super.read();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        check();
        return super.read(b, off, len);
      }
    };
  }

  private void check() throws IOException {
    if (fired.get()) throw new IOException("the answer took too long");
  }

  /** Gives up on the attempt now: the guarded body is closed and reads fail. */
  void fire() {
    fired.set(true);
    InputStream body = guarded;
    if (body != null) {
      try {
        body.close();
      } catch (IOException ignored) {
        // closing is the point; a failure to close changes nothing
      }
    }
  }

  boolean fired() { return fired.get(); }

  void cancel() { task.cancel(false); }
}
