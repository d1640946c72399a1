package io.imagegate.engine;

import io.imagegate.api.ApiException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's own guard against overload, taken before a request body is read: at most {@code maxCalls}
 * images calls in flight, and at most {@code maxBodyBytes} of their request bodies held at once. Past either
 * a call is answered 503 with {@code Retry-After} at once, which the OpenAI SDKs retry, instead of the process
 * running out of memory or file descriptors. Once {@link #drain} begins, every new call is refused the same
 * way while those in flight finish.
 */
public final class Admission {
  private final int maxCalls;
  private final long maxBodyBytes;
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicLong bodyBytes = new AtomicLong();
  private volatile boolean draining;

  public Admission(int maxCalls, long maxBodyBytes) {
    if (maxCalls < 1 || maxBodyBytes < 1) throw new IllegalArgumentException("limits must be positive");
    this.maxCalls = maxCalls;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Limits that fit this process: two file descriptors per call (the client's and the upstream's) out of its
   * open-file limit, less a reserve, and a quarter of the heap for request bodies.
   *
   * @param configuredCalls the operator's {@code max_in_flight}, or 0 for the default
   */
  public static Admission forProcess(int configuredCalls) {
    int calls = configuredCalls > 0 ? configuredCalls : defaultCalls(maxOpenFiles());
    return new Admission(calls, Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4));
  }

  static int defaultCalls(long maxOpenFiles) {
    if (maxOpenFiles <= 0) return 10_000;
    return (int) Math.max(64, Math.min(50_000, (maxOpenFiles - 512) / 2));
  }

  private static long maxOpenFiles() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return -1;
  }

  /** One admitted call; closing it gives its place and its body bytes back. */
  public final class Ticket implements AutoCloseable {
    private long bytes;
    private boolean closed;

    private Ticket(long bytes) { this.bytes = bytes; }

    /** Holds {@code more} bytes of body beyond what was declared (a body without Content-Length). */
    public void hold(long more) {
      if (more <= 0) return;
      if (bodyBytes.addAndGet(more) > maxBodyBytes) {
        bodyBytes.addAndGet(-more);
        throw overloaded("request bodies");
      }
      bytes += more;
    }

    @Override
    public synchronized void close() {
      if (closed) return;
      closed = true;
      bodyBytes.addAndGet(-bytes);
      calls.decrementAndGet();
    }
  }

  /**
   * Admits a call whose body declares {@code declaredBytes} (0 or less when unknown).
   *
   * @throws ApiException 503 {@code gateway_overloaded} or {@code shutting_down}, with {@code Retry-After}
   */
  public Ticket enter(long declaredBytes) {
    if (draining) {
      throw new ApiException(503, "server_error", null, "shutting_down", "This gateway instance is shutting"
          + " down and takes no new calls; retry, and another instance will answer.")
          .withHeader("Retry-After", "1").withHeader("Connection", "close");
    }
    if (calls.incrementAndGet() > maxCalls) {
      calls.decrementAndGet();
      throw overloaded("calls");
    }
    long bytes = Math.max(0, declaredBytes);
    if (bytes > 0 && bodyBytes.addAndGet(bytes) > maxBodyBytes) {
      bodyBytes.addAndGet(-bytes);
      calls.decrementAndGet();
      throw overloaded("request bodies");
    }
    return new Ticket(bytes);
  }

  private ApiException overloaded(String what) {
    return new ApiException(503, "server_error", null, "gateway_overloaded", "This gateway holds as many "
        + what + " as it can at once (" + (what.equals("calls") ? maxCalls + " calls" : (maxBodyBytes >> 20)
        + " MiB of request bodies") + "); retry shortly.").withHeader("Retry-After", "1");
  }

  /** Calls in flight now. */
  public int inFlight() { return calls.get(); }

  /** The request-body bytes the calls in flight hold. */
  public long heldBodyBytes() { return bodyBytes.get(); }

  public boolean draining() { return draining; }

  /**
   * Refuses every new call from now on and waits until those in flight are done or {@code grace} passed.
   *
   * @return whether every call finished in time
   */
  public boolean drain(Duration grace) {
    draining = true;
    long end = System.nanoTime() + grace.toNanos();
    while (calls.get() > 0) {
      if (System.nanoTime() - end >= 0) return false;
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
