package io.imagegate.idempotency;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread for the whole JVM that keeps open recordings' heartbeats fresh. A generation can run
 * minutes before its first byte, so the heartbeat cannot ride on writes; a daemon thread never holds the JVM
 * open, and a process that dies simply stops beating, which is what lets another instance take over.
 */
final class Heartbeats {
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "imagegate-idempotency-heartbeat");
    t.setDaemon(true);
    return t;
  });

  private Heartbeats() {}

  static ScheduledFuture<?> every(long millis, Runnable beat) {
    return TIMER.scheduleWithFixedDelay(beat, millis, millis, TimeUnit.MILLISECONDS);
  }
}
