package io.imagegate.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;

/**
 * Notices a client that hangs up while its request waits on an upstream, and interrupts the waiting thread so
 * that the upstream call is cancelled instead of running on for minutes. Jetty does not report a closed
 * HTTP/1.1 connection to a handler that is not reading or writing, so the watch polls the socket itself:
 * a non-blocking read that returns end-of-stream means the client is gone.
 *
 * <p>Implementation notes: no well-behaved HTTP/1.1 client sends bytes after a complete request before its
 * answer (pipelining is unused in practice); if one does, the byte read is lost, so the connection is marked
 * to close after this answer rather than misparse the next request.
 */
final class ClientWatch implements AutoCloseable {
  private static final Duration EVERY = Duration.ofMillis(250);
  private final Thread watcher;
  private volatile boolean done;
  private volatile boolean gone;
  private volatile boolean readAhead;

  private ClientWatch(SocketChannel channel, Thread handler) {
    watcher = Thread.ofVirtual().name("imagegate-client-watch").start(() -> {
      ByteBuffer one = ByteBuffer.allocate(1);
      while (!done) {
        try {
          Thread.sleep(EVERY);
          if (done) return;
          int n = channel.read(one.clear());
          if (n < 0) {
            gone = true;
            if (!done) handler.interrupt();
            return;
          }
          if (n > 0) {
            readAhead = true;
            return;
          }
        } catch (InterruptedException e) {
          return;
        } catch (IOException e) {
          gone = true;
          if (!done) handler.interrupt();
          return;
        }
      }
    });
  }

  /** Watches the connection of this request on behalf of the calling thread; a no-op watch if it can't. */
  static ClientWatch start(HttpServletRequest request) {
    try {
      EndPoint endPoint = ServletContextRequest.getServletContextRequest(request).getConnectionMetaData()
          .getConnection().getEndPoint();
      if (endPoint instanceof SocketChannelEndPoint socket && socket.getChannel().isOpen()) {
        return new ClientWatch(socket.getChannel(), Thread.currentThread());
      }
    } catch (RuntimeException unsupported) {
      // not a plain socket connection (e.g. a test harness): nothing to watch
    }
    return new ClientWatch();
  }

  private ClientWatch() {
    watcher = null;
    done = true;
  }

  /** Whether the client was seen to hang up. */
  boolean clientGone() { return gone; }

  /** Whether the client sent bytes ahead of its answer, so the connection must close after it. */
  boolean readAhead() { return readAhead; }

  /** Stops watching; clears an interrupt the watch caused if it came too late to matter. */
  @Override
  public void close() {
    done = true;
    if (watcher != null) {
      watcher.interrupt();
      try {
        watcher.join();
      } catch (InterruptedException e) {
        // the watch itself interrupted us; cleared below
      }
    }
    if (!gone) return;
    Thread.interrupted();
  }
}
