package io.imagegate.trace;

/** Whether an OpenTelemetry SDK runs in this JVM, as its batch span processor's worker thread shows. */
final class SpanProcessorThreads {
  private SpanProcessorThreads() {}

  /**
   * Fails when a batch span processor runs: once those of tracers closed earlier in this JVM are gone (a
   * tracer's shutdown returns before its worker thread has ended), none may be left.
   */
  static void assertNoneRuns() throws InterruptedException {
    long end = System.nanoTime() + 30_000_000_000L; // a closed tracer's last export retries a dead collector for some seconds
    while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("BatchSpanProcessor"))) {
      if (System.nanoTime() - end > 0) throw new AssertionError("a batch span processor's thread runs");
      Thread.sleep(20);
    }
  }
}
