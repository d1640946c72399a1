package io.imagegate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw-socket upstream on 127.0.0.1 that, after reading each request, holds the connection for a while
 * before answering, and watches whether the caller closes it meanwhile: the way to see from outside whether
 * the gateway cancels an upstream call (MockWebServer does not tell when its peer goes away).
 */
public final class HangingUpstream implements AutoCloseable {
  /**
   * What happened to one held connection.
   *
   * @param requestHead the request line and headers as received
   * @param closedByCallerAfterMillis how long after the request the caller closed the connection, or -1 when
   *     it kept it open for the whole hold (and was then answered)
   */
  public record Outcome(String requestHead, long closedByCallerAfterMillis) {
    public boolean cancelled() { return closedByCallerAfterMillis >= 0; }
  }

  private final ServerSocket server;
  private final BlockingQueue<Long> holds = new LinkedBlockingQueue<>();
  private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
  private final java.util.concurrent.Semaphore arrivals = new java.util.concurrent.Semaphore(0);
  private final String answer;
  private final Thread acceptor;

  /** @param answerBody the JSON answered after the hold */
  public HangingUpstream(String answerBody) {
    this.answer = answerBody;
    try {
      server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    acceptor = Thread.ofPlatform().daemon().name("hanging-upstream").start(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          Thread.ofVirtual().start(() -> serve(s));
        } catch (IOException closed) {
          return;
        }
      }
    });
  }

  public String baseUrl() { return "http://127.0.0.1:" + server.getLocalPort(); }

  /** How long to hold the next connection (one entry per connection; none queued: answer at once). */
  public HangingUpstream holdNext(long millis) {
    holds.add(millis);
    return this;
  }

  /** Waits up to {@code seconds} until the next request has arrived (whole), held or not. */
  public void awaitArrival(long seconds) {
    try {
      if (!arrivals.tryAcquire(seconds, TimeUnit.SECONDS)) throw new AssertionError("no call reached the hanging upstream");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The outcome of the next connection, once it is over (waits up to {@code seconds}). */
  public Outcome nextOutcome(long seconds) {
    try {
      Outcome o = outcomes.poll(seconds, TimeUnit.SECONDS);
      if (o == null) throw new AssertionError("the hanging upstream got no (finished) call");
      return o;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      long length = 0;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Long.parseLong(line.substring(15).trim());
        }
      }
      in.readNBytes((int) length);
      arrivals.release();
      long start = System.nanoTime();
      Long hold = holds.poll();
      long closedAfter = -1;
      if (hold != null && hold > 0) {
        socket.setSoTimeout((int) (long) hold);
        try {
          if (in.read() < 0) closedAfter = (System.nanoTime() - start) / 1_000_000;
        } catch (SocketTimeoutException stillOpen) {
          // the caller waited the whole hold
        } catch (IOException reset) {
          closedAfter = (System.nanoTime() - start) / 1_000_000;
        }
      }
      if (closedAfter < 0) {
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      }
      outcomes.add(new Outcome(head, closedAfter));
    } catch (IOException e) {
      outcomes.add(new Outcome("(broken: " + e + ")", 0));
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) break;
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    acceptor.interrupt();
  }
}
