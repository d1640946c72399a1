package io.imagegate.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A blocking HTTP/1.1 client for every call the gateway makes (upstreams, the S3 bucket, input-image URLs), run
 * on the calling (virtual) thread, with keep-alive connections pooled per host ({@link Http1Connection}). The JDK's {@code HttpClient} hands every body through its selector and worker
 * threads in small heap buffers: relaying 1.5 MB answers, those two threads alone used about a third of the
 * gateway's CPU (perf, 2 cores). Here the answer is read from the socket by the thread that wants it, straight
 * into the caller's array. It speaks only what these calls need:
 * one request at a time per connection, a body of known size, answers framed by Content-Length, chunked
 * encoding or the connection's end, TLS with host-name checks, no redirects, no proxy.
 *
 * <p>Cancelling: closing the body stream closes the connection, and a virtual thread interrupted while it
 * blocks on the socket closes it too, so a client's hang-up stops a call at once. One deadline per call bounds
 * every wait (connect, head, each read); an optional read timeout fails a read that waits longer for bytes. A connection goes back to the pool
 * only after its answer was read to the end.
 */
public final class Http1Client {
  private static final int MAX_IDLE_PER_HOST = 64;
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final SSLSocketFactory tls;
  private final ConcurrentHashMap<String, ConcurrentLinkedDeque<Http1Connection>> idle = new ConcurrentHashMap<>();

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
    List<ByteBuffer> body = RequestBytes.body(request);
    byte[] head = RequestBytes.head(request, uri, host, port, tls, RequestBytes.length(body), false);
    while (true) {
      Http1Connection c = pooled(route);
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
    List<ByteBuffer> body = RequestBytes.body(request);
    byte[] head = RequestBytes.head(request, uri, host, port, tls, RequestBytes.length(body), true);
    Http1Connection c = open(null, host, new InetSocketAddress(address, port), tls, deadlineNanos);
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

  private Http1Connection pooled(String route) {
    ConcurrentLinkedDeque<Http1Connection> q = idle.get(route);
    if (q == null) return null;
    long now = System.nanoTime();
    for (Http1Connection c; (c = q.pollFirst()) != null; ) {
      if (now - c.idleSince < IDLE_NANOS && !c.socket.isClosed()) return c;
      c.close();
    }
    return null;
  }

  private void release(Http1Connection c) {
    ConcurrentLinkedDeque<Http1Connection> q = idle.computeIfAbsent(c.route, r -> new ConcurrentLinkedDeque<>());
    c.idleSince = System.nanoTime();
    q.offerFirst(c);
    while (q.size() > MAX_IDLE_PER_HOST) {
      Http1Connection oldest = q.pollLast();
      if (oldest == null) break;
      oldest.close();
    }
  }

  /** A new connection to {@code to}; {@code route} null: never pooled. */
  private Http1Connection open(String route, String host, InetSocketAddress to, boolean tls, long deadlineNanos)
      throws IOException {
    int port = to.getPort();
    // A channel's socket: it never goes through a configured SOCKS proxy (which would resolve names itself and
    // undo an SSRF guard's address check), and a request goes out in one gathering write (Http1Connection.write)
    Socket socket = java.nio.channels.SocketChannel.open().socket();
    try {
      socket.setTcpNoDelay(true);
      long connectMillis = Math.min(connectTimeout.toMillis(), Http1Connection.millisLeft(deadlineNanos));
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
      return new Http1Connection(route, socket, readTimeout, this::release);
    } catch (SocketTimeoutException e) {
      socket.close();
      throw new HttpConnectTimeoutException("no connection to " + host + ":" + port + " within " + connectTimeout);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * A body of byte arrays that this client writes as they are, without the copy into buffers that the JDK's
   * own publishers make (a 1 MB input image would be copied once more per attempt). Other clients can read
   * it as an ordinary publisher.
   */
  public static HttpRequest.BodyPublisher arrays(List<byte[]> parts) { return RequestBytes.arrays(parts); }
}
