package io.imagegate.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * One point in time by which a whole fetch (resolution, connect, TLS, redirects, body) must be
 * done. Socket timeouts alone bound each read, so a server dripping one byte at a time could hold
 * a fetch forever; re-arming the timeout before every read with what is left bounds the total.
 */
final class Deadline {
  private final long endNanos;

  private Deadline(long endNanos) { this.endNanos = endNanos; }

  static Deadline after(Duration timeout) { return new Deadline(System.nanoTime() + timeout.toNanos()); }

  /** The deadline as a {@link System#nanoTime()}. */
  long endNanos() { return endNanos; }

  /** Milliseconds left, at least 1 (0 would mean "no timeout" to a socket). */
  int remainingMillis() throws SocketTimeoutException {
    long left = (endNanos - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new SocketTimeoutException("deadline passed");
    }
    return (int) Math.min(Integer.MAX_VALUE, left);
  }

  /** The socket's input, each read limited to the time left. */
  InputStream input(Socket socket) throws IOException {
    return new FilterInputStream(socket.getInputStream()) {
      @Override
      public int read() throws IOException {
        socket.setSoTimeout(remainingMillis());
        return super.read();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        socket.setSoTimeout(remainingMillis());
        return super.read(b, off, len);
      }
    };
  }
}
