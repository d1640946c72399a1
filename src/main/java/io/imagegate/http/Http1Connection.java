package io.imagegate.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One connection of an {@link Http1Client}: its socket, buffered both ways, and what the current answer has
 * read. An answer's body, once read to its end and closed, gives the connection back to its pool.
 */
final class Http1Connection {
  private static final int MAX_HEAD_BYTES = 64 * 1024;
  private final Consumer<Http1Connection> release;
  private final Duration readTimeout;
  final String route;
  final Socket socket;
  private final BufferedInputStream in;
  private final OutputStream out;
  long idleSince;
  private boolean received;
  /** When the current call must be done (System.nanoTime), or Long.MAX_VALUE. */
  volatile long deadline = Long.MAX_VALUE;

  /**
   * @param route the pool this connection goes back to, or null for one that is never reused
   * @param release takes the connection back into its pool
   */
  Http1Connection(String route, Socket socket, Duration readTimeout, Consumer<Http1Connection> release)
      throws IOException {
    this.readTimeout = readTimeout;
    this.release = release;
    this.route = route;
    this.socket = socket;
    // Small: bulk reads of a body bypass the buffer, and thousands of calls may be held at once.
    this.in = new BufferedInputStream(new Timed(socket.getInputStream()), 8 * 1024);
    this.out = socket.getOutputStream();
  }

  /**
   * Sends a request. On a plain connection, the head and the body's arrays leave in gathering writes, as few
   * system calls as the socket's buffer allows (a 1 MB image costs 9 calls through the socket's stream, which
   * writes at most 128 KiB at once). Through TLS: the head and a small body in one write (one segment), a
   * large body straight from its arrays.
   */
  void write(byte[] head, List<ByteBuffer> body) throws IOException {
    // (an SSLSocket layered on a channel's socket answers that channel too: its writes must go through TLS)
    SocketChannel channel = socket instanceof javax.net.ssl.SSLSocket ? null : socket.getChannel();
    if (channel != null) {
      ByteBuffer[] all = new ByteBuffer[body.size() + 1];
      all[0] = ByteBuffer.wrap(head);
      long left = head.length;
      for (int i = 0; i < body.size(); i++) {
        all[i + 1] = body.get(i).duplicate();
        left += all[i + 1].remaining();
      }
      while (left > 0) left -= channel.write(all);
      return;
    }
    long length = RequestBytes.length(body);
    if (length <= 32 * 1024) {
      byte[] all = java.util.Arrays.copyOf(head, head.length + (int) length);
      int at = head.length;
      for (ByteBuffer b : body) {
        System.arraycopy(b.array(), b.arrayOffset() + b.position(), all, at, b.remaining());
        at += b.remaining();
      }
      out.write(all);
    } else {
      // small pieces (the head, multipart headers and text fields) gathered, large ones straight from their arrays
      java.io.ByteArrayOutputStream small = new java.io.ByteArrayOutputStream(4096);
      small.write(head);
      for (ByteBuffer b : body) {
        if (b.remaining() < 16 * 1024) {
          small.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
          continue;
        }
        if (small.size() > 0) {
          small.writeTo(out);
          small.reset();
        }
        out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
      }
      if (small.size() > 0) small.writeTo(out);
    }
    out.flush();
  }

  boolean nothingReceived() { return !received; }

  /** The socket's input, each read waiting no longer than the read timeout and the call's deadline allow. */
  private final class Timed extends java.io.FilterInputStream {
    Timed(InputStream in) { super(in); }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      arm();
      return in.read(b, off, len);
    }

    @Override
    public int read() throws IOException {
      arm();
      return in.read();
    }

    private void arm() throws IOException {
      long limit = readTimeout.isZero() ? Long.MAX_VALUE : readTimeout.toMillis();
      long left = millisLeft(deadline);
      if (left == 0) throw new SocketTimeoutException("the call's deadline passed");
      long wait = Math.min(limit, left);
      socket.setSoTimeout(wait == Long.MAX_VALUE ? 0 : (int) Math.min(Integer.MAX_VALUE, wait));
    }
  }

  void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closed either way
    }
  }

  Http1Client.Response readResponse(String method) throws IOException {
    received = false;
    while (true) {
      String status = line();
      if (!status.startsWith("HTTP/1.")) throw new MalformedAnswer("not an HTTP/1.x answer: " + clip(status));
      int code;
      try {
        code = Integer.parseInt(status.substring(9, Math.min(12, status.length())).trim());
      } catch (RuntimeException e) {
        throw new MalformedAnswer("bad status line: " + clip(status));
      }
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      int size = status.length();
      for (String line; !(line = line()).isEmpty(); ) {
        size += line.length();
        if (size > MAX_HEAD_BYTES) throw new MalformedAnswer("the answer's headers are too large");
        int colon = line.indexOf(':');
        if (colon <= 0) throw new MalformedAnswer("bad header line: " + clip(line));
        headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>(1))
            .add(line.substring(colon + 1).trim());
      }
      if (code >= 100 && code < 200) continue; // 100 Continue and friends: the real answer follows
      HttpHeaders h = HttpHeaders.of(headers, (a, b) -> true);
      boolean close = h.allValues("connection").stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("close"))
          || status.startsWith("HTTP/1.0");
      return new Http1Client.Response(code, h, body(method, code, h, close));
    }
  }

  private InputStream body(String method, int code, HttpHeaders h, boolean close) throws IOException {
    if (method.equals("HEAD") || code == 204 || code == 304) return framed(InputStream.nullInputStream(), close);
    List<String> encodings = h.allValues("transfer-encoding");
    if (!encodings.isEmpty()) {
      // A body framed two ways is how responses are smuggled: refuse it rather than pick one (RFC 9112 6.3).
      if (!h.allValues("content-length").isEmpty()) {
        throw new MalformedAnswer("the answer has both Transfer-Encoding and Content-Length");
      }
      String last = String.join(",", encodings).toLowerCase(Locale.ROOT).replaceAll("\\s", "");
      if (!last.equals("chunked")) throw new MalformedAnswer("unsupported Transfer-Encoding: " + clip(last));
      return framed(new ChunkedBody(in), close);
    }
    long length = contentLength(h);
    if (length >= 0) return framed(new LimitedBody(in, length), close);
    return framed(in, true); // to the end of the connection
  }

  /**
   * The answer's Content-Length, -1 without one; repeated or listed values must all agree (RFC 9110 8.6),
   * anything else is refused.
   */
  private static long contentLength(HttpHeaders h) throws IOException {
    long length = -1;
    for (String header : h.allValues("content-length")) {
      for (String v : header.split(",", -1)) {
        String t = v.trim();
        if (t.isEmpty() || t.length() > 18 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
          throw new MalformedAnswer("bad Content-Length: " + clip(header));
        }
        long n = Long.parseLong(t);
        if (length >= 0 && n != length) throw new MalformedAnswer("conflicting Content-Length values: " + clip(header));
        length = n;
      }
    }
    return length;
  }

  /** The body as the caller sees it: closing it pools the connection when the body was read to its end. */
  private InputStream framed(InputStream body, boolean close) {
    return new BlockInputStream() {
      private boolean ended;
      private boolean closed;

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException("the answer's stream is closed");
        int n = body.read(b, off, len);
        if (n < 0) ended = true;
        return n;
      }

      @Override
      public int available() throws IOException { return closed ? 0 : body.available(); }

      @Override
      public void close() {
        if (closed) return;
        closed = true;
        if (ended && !close && !(body == in) && route != null) release.accept(Http1Connection.this);
        else Http1Connection.this.close();
      }
    };
  }

  /** One CRLF- (or LF-) terminated line of the head, in ISO-8859-1. */
  private String line() throws IOException {
    StringBuilder s = new StringBuilder(64);
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) throw new IOException(s.isEmpty() && !received ? "the connection closed before an answer"
          : "the connection closed inside the answer's head");
      received = true;
      if (s.length() > MAX_HEAD_BYTES) throw new MalformedAnswer("an answer header line is too long");
      if (b != '\r') s.append((char) b);
    }
    return s.toString();
  }

  private static String clip(String s) { return s.length() > 80 ? s.substring(0, 80) + "…" : s; }

  /** Milliseconds left until {@code deadlineNanos}, at least 0; {@link Long#MAX_VALUE} for no deadline. */
  static long millisLeft(long deadlineNanos) {
    if (deadlineNanos == Long.MAX_VALUE) return Long.MAX_VALUE;
    return Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
  }
}
