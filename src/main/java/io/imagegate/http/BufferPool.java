package io.imagegate.http;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The relay buffers of every answer in flight, together bounded: {@code count} arrays of {@code size} bytes
 * at most exist at once. An answer copies its upstream's body to its client through one of them; when all are
 * in use, the next reader waits for one, and meanwhile its upstream's bytes wait in the socket (backpressure),
 * so the gateway's memory does not grow with calls in flight × answer size. Arrays are reused, so a relay
 * allocates nothing once the pool is warm.
 */
public final class BufferPool {
  private final int size;
  private final int count;
  private final Semaphore free;
  private final ConcurrentLinkedQueue<byte[]> idle = new ConcurrentLinkedQueue<>();

  public BufferPool(int size, int count) {
    if (size < 1024 || count < 1) throw new IllegalArgumentException("buffers of " + size + " bytes × " + count);
    this.size = size;
    this.count = count;
    this.free = new Semaphore(count, true);
  }

  /** Sized from the heap: an eighth of it, between 16 and 256 MiB, in 64 KiB buffers. */
  public static BufferPool forHeap(long maxHeapBytes) {
    long budget = Math.max(16L << 20, Math.min(256L << 20, maxHeapBytes / 8));
    return new BufferPool(64 * 1024, (int) (budget / (64 * 1024)));
  }

  /**
   * A buffer, waiting up to {@code maxWaitMillis} for one to be free.
   *
   * @return the buffer, to be given back with {@link #release}; null when none came free in time
   * @throws InterruptedException when the waiting thread is interrupted (its call was cancelled)
   */
  public byte[] take(long maxWaitMillis) throws InterruptedException {
    if (!free.tryAcquire(maxWaitMillis, TimeUnit.MILLISECONDS)) return null;
    byte[] b = idle.poll();
    return b != null ? b : new byte[size];
  }

  /** Gives a buffer back; its content is not cleared (every user writes before it reads). */
  public void release(byte[] buffer) {
    if (buffer == null) return;
    if (buffer.length != size) throw new IllegalArgumentException("not a buffer of this pool");
    idle.offer(buffer);
    free.release();
  }

  /** Bytes in buffers taken now. */
  public long bytesInUse() { return (long) (count - free.availablePermits()) * size; }
}
