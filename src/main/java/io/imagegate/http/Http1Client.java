package io.imagegate.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A blocking HTTP/1.1 client for the gateway's own calls (upstreams, the S3 bucket), run on the calling
 * (virtual) thread, with keep-alive
 * connections pooled per host. The JDK's {@code HttpClient} hands every body through its selector and worker
 * threads in small heap buffers: relaying 1.5 MB answers, those two threads alone used about a third of the
 * gateway's CPU (perf, 2 cores). Here the answer is read from the socket by the thread that wants it, straight
 * into the caller's array. It speaks only what these calls need:
 * one request at a time per connection, a body of known size, answers framed by Content-Length, chunked
 * encoding or the connection's end, TLS with host-name checks, no redirects, no proxy.
 *
 * <p>Cancelling: closing the body stream closes the connection, and a virtual thread interrupted while it
 * blocks on the socket closes it too, so a watchdog or a client's hang-up stops a call at once. An optional
 * read timeout fails a read that waits longer for bytes (a stalled peer). A connection goes back to the pool
 * only after its answer was read to the end.
 */
public final class Http1Client {
  private static final int MAX_IDLE_PER_HOST = 64;
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final int MAX_HEAD_BYTES = 64 * 1024;

  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final SSLSocketFactory tls;
  private final ConcurrentHashMap<String, ConcurrentLinkedDeque<Connection>> idle = new ConcurrentHashMap<>();

  /** A client whose reads wait as long as the caller lets them (the caller bounds the call, e.g. by interrupting). */
  public Http1Client(Duration connectTimeout) { this(connectTimeout, Duration.ZERO); }

  /**
   * @param readTimeout how long one read may wait for bytes before it fails (a stalled peer); zero: no limit
   */
  public Http1Client(Duration connectTimeout, Duration readTimeout) {
    this(connectTimeout, readTimeout, (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  /** A client that trusts what {@code tls} trusts (host names are still checked); for tests, too. */
  public Http1Client(Duration connectTimeout, Duration readTimeout, SSLSocketFactory tls) {
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.tls = tls;
  }

  /** An answer: its status, its headers (looked up case-insensitively) and its body, to be closed. */
  public record Response(int statusCode, HttpHeaders headers, InputStream body) {}

  /**
   * Sends the request and reads the answer's head; the body is read through {@link Response#body()}.
   *
   * @throws HttpConnectTimeoutException when no connection was made within the connect timeout
   * @throws IOException for any other failure (refused, reset, malformed answer)
   */
  public Response send(HttpRequest request) throws IOException { return send(request, Long.MAX_VALUE); }

  /**
   * As {@link #send(HttpRequest)}, with every wait of the call, the connect, the answer's head and each read
   * of its body, bounded by one deadline: past it a read fails with a {@link SocketTimeoutException}.
   *
   * @param deadlineNanos the {@link System#nanoTime()} by which the whole answer must be read, or
   *     {@link Long#MAX_VALUE} for none
   */
  public Response send(HttpRequest request, long deadlineNanos) throws IOException {
    URI uri = request.uri();
    boolean tls = "https".equalsIgnoreCase(uri.getScheme());
    String host = bare(uri.getHost());
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    String route = (tls ? "https://" : "http://") + host + ":" + port;
    List<ByteBuffer> body = body(request);
    byte[] head = head(request, uri, host, port, tls, length(body), false);
    while (true) {
      Connection c = pooled(route);
      boolean reused = c != null;
      if (c == null) c = open(route, host, new InetSocketAddress(host, port), tls, deadlineNanos);
      c.deadline = deadlineNanos;
      try {
        c.write(head, body);
        return c.readResponse(request.method());
      } catch (IOException e) {
        c.close();
        // A kept-alive connection the server closed meanwhile fails before any byte of an answer: send again
        // on a new one. Anything else is the caller's to see (and the engine's to retry).
        if (reused && c.nothingReceived()) continue;
        throw e;
      }
    }
  }

  /**
   * One call on a connection of its own to {@code address}, which the caller already checked (the SSRF guard
   * of input-image URLs): no name is resolved here, no proxy is used, TLS still checks the URL's host name,
   * and the connection closes after the answer instead of being pooled.
   */
  public Response sendTo(HttpRequest request, InetAddress address, long deadlineNanos) throws IOException {
    URI uri = request.uri();
    boolean tls = "https".equalsIgnoreCase(uri.getScheme());
    String host = bare(uri.getHost());
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    List<ByteBuffer> body = body(request);
    byte[] head = head(request, uri, host, port, tls, length(body), true);
    Connection c = open(null, host, new InetSocketAddress(address, port), tls, deadlineNanos);
    c.deadline = deadlineNanos;
    try {
      c.write(head, body);
      return c.readResponse(request.method());
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** A host without the brackets of an IPv6 literal. */
  private static String bare(String host) {
    return host != null && host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private Connection pooled(String route) {
    ConcurrentLinkedDeque<Connection> q = idle.get(route);
    if (q == null) return null;
    long now = System.nanoTime();
    for (Connection c; (c = q.pollFirst()) != null; ) {
      if (now - c.idleSince < IDLE_NANOS && !c.socket.isClosed()) return c;
      c.close();
    }
    return null;
  }

  private void release(Connection c) {
    ConcurrentLinkedDeque<Connection> q = idle.computeIfAbsent(c.route, r -> new ConcurrentLinkedDeque<>());
    c.idleSince = System.nanoTime();
    q.offerFirst(c);
    while (q.size() > MAX_IDLE_PER_HOST) {
      Connection oldest = q.pollLast();
      if (oldest == null) break;
      oldest.close();
    }
  }

  /** A new connection to {@code to}; {@code route} null: never pooled. */
  private Connection open(String route, String host, InetSocketAddress to, boolean tls, long deadlineNanos)
      throws IOException {
    int port = to.getPort();
    // NO_PROXY: a configured SOCKS proxy would resolve names itself (and undo an SSRF guard's address check)
    Socket socket = new Socket(java.net.Proxy.NO_PROXY);
    try {
      socket.setTcpNoDelay(true);
      long connectMillis = Math.min(connectTimeout.toMillis(), millisLeft(deadlineNanos));
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, connectMillis)));
      socket.connect(to, (int) Math.max(1, connectMillis));
      if (tls) {
        SSLSocket ssl = (SSLSocket) this.tls.createSocket(socket, host, port, true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        params.setApplicationProtocols(new String[] {"http/1.1"});
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        socket = ssl;
      }
      return new Connection(this, route, socket);
    } catch (SocketTimeoutException e) {
      socket.close();
      throw new HttpConnectTimeoutException("no connection to " + host + ":" + port + " within " + connectTimeout);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private static long millisLeft(long deadlineNanos) {
    if (deadlineNanos == Long.MAX_VALUE) return Long.MAX_VALUE;
    return Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
  }

  private static byte[] head(HttpRequest request, URI uri, String host, int port, boolean tls, long length,
      boolean close) {
    StringBuilder h = new StringBuilder(256);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    h.append(request.method()).append(' ').append(path);
    if (uri.getRawQuery() != null) h.append('?').append(uri.getRawQuery());
    h.append(" HTTP/1.1\r\nHost: ").append(host.contains(":") ? "[" + host + "]" : host);
    if (port != (tls ? 443 : 80)) h.append(':').append(port);
    h.append("\r\n");
    for (Map.Entry<String, List<String>> e : request.headers().map().entrySet()) {
      for (String v : e.getValue()) {
        if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) throw new IllegalArgumentException("bad header " + e.getKey());
        h.append(e.getKey()).append(": ").append(v).append("\r\n");
      }
    }
    if (length > 0 || !request.method().equals("GET")) h.append("Content-Length: ").append(length).append("\r\n");
    if (close) h.append("Connection: close\r\n");
    h.append("User-Agent: imagegate\r\n\r\n");
    return h.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * A body of byte arrays that this client writes as they are, without the copy into buffers that the JDK's
   * own publishers make (a 1 MB input image would be copied once more per attempt). Other clients can read
   * it as an ordinary publisher.
   */
  public static HttpRequest.BodyPublisher arrays(List<byte[]> parts) { return new Arrays(List.copyOf(parts)); }

  private static final class Arrays implements HttpRequest.BodyPublisher {
    private final List<byte[]> parts;
    private final HttpRequest.BodyPublisher delegate;

    Arrays(List<byte[]> parts) {
      this.parts = parts;
      this.delegate = HttpRequest.BodyPublishers.ofByteArrays(parts);
    }

    @Override
    public long contentLength() {
      long n = 0;
      for (byte[] p : parts) n += p.length;
      return n;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) { delegate.subscribe(subscriber); }
  }

  /** The request's body as the buffers its publisher hands out (these requests publish byte arrays). */
  private static List<ByteBuffer> body(HttpRequest request) throws IOException {
    HttpRequest.BodyPublisher publisher = request.bodyPublisher().orElse(null);
    if (publisher == null) return List.of();
    if (publisher instanceof Arrays a) {
      List<ByteBuffer> wrapped = new ArrayList<>(a.parts.size());
      for (byte[] p : a.parts) wrapped.add(ByteBuffer.wrap(p));
      return wrapped;
    }
    List<ByteBuffer> parts = new ArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    publisher.subscribe(new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription s) { s.request(Long.MAX_VALUE); }

      @Override
      public void onNext(ByteBuffer item) { parts.add(item.hasArray() ? item : copy(item)); }

      @Override
      public void onError(Throwable t) { done.completeExceptionally(t); }

      @Override
      public void onComplete() { done.complete(null); }
    });
    try {
      done.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading the request body", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("could not read the request body: " + e, e);
    }
    return parts;
  }

  private static ByteBuffer copy(ByteBuffer b) {
    ByteBuffer c = ByteBuffer.allocate(b.remaining());
    c.put(b).flip();
    return c;
  }

  private static long length(List<ByteBuffer> parts) {
    long n = 0;
    for (ByteBuffer b : parts) n += b.remaining();
    return n;
  }

  /** One connection: its socket, buffered both ways, and what the current answer has read. */
  private static final class Connection {
    private final Http1Client client;
    private final String route;
    private final Socket socket;
    private final BufferedInputStream in;
    private final OutputStream out;
    private long idleSince;
    private boolean received;
    /** When the current call must be done (System.nanoTime), or Long.MAX_VALUE. */
    private volatile long deadline = Long.MAX_VALUE;

    Connection(Http1Client client, String route, Socket socket) throws IOException {
      this.client = client;
      this.route = route;
      this.socket = socket;
      // Small: bulk reads of a body bypass the buffer, and thousands of calls may be held at once.
      this.in = new BufferedInputStream(new Timed(socket.getInputStream()), 8 * 1024);
      this.out = socket.getOutputStream();
    }

    /** The head and a small body in one write (one segment), a large body straight from its arrays. */
    void write(byte[] head, List<ByteBuffer> body) throws IOException {
      long length = length(body);
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
        long limit = client.readTimeout.isZero() ? Long.MAX_VALUE : client.readTimeout.toMillis();
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

    Response readResponse(String method) throws IOException {
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
        return new Response(code, h, body(method, code, h, close));
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
          if (ended && !close && !(body == in) && route != null) client.release(Connection.this);
          else Connection.this.close();
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
  }
}
