package io.imagegate.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;

/**
 * While a request body is read, its connection's idle timeout is the body timeout (a pause between two reads
 * longer than that fails the read), and afterwards the connection's own long one again: an image call then
 * waits minutes for its upstream without a byte on the wire, but a client cannot hold a connection by sending
 * its body a byte at a time.
 */
final class BodyTimeout implements AutoCloseable {
  private final EndPoint endPoint;
  private final long before;

  private BodyTimeout(EndPoint endPoint, long before) {
    this.endPoint = endPoint;
    this.before = before;
  }

  static BodyTimeout start(HttpServletRequest request, Duration timeout) {
    ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
    EndPoint endPoint = jetty == null ? null : jetty.getConnectionMetaData().getConnection().getEndPoint();
    if (endPoint == null) return new BodyTimeout(null, 0);
    long before = endPoint.getIdleTimeout();
    endPoint.setIdleTimeout(timeout.toMillis());
    return new BodyTimeout(endPoint, before);
  }

  /** Whether a read failed because the body timeout passed. */
  static boolean isTimeout(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) return true;
    }
    return false;
  }

  @Override
  public void close() {
    if (endPoint != null) endPoint.setIdleTimeout(before);
  }
}
