package io.imagegate.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A request as {@link Http1Client} writes it: its head, and its body as the buffers to send. */
final class RequestBytes {
  private RequestBytes() {}

  static byte[] head(HttpRequest request, URI uri, String host, int port, boolean tls, long length,
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
  static HttpRequest.BodyPublisher arrays(List<byte[]> parts) { return new Arrays(List.copyOf(parts)); }

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
  static List<ByteBuffer> body(HttpRequest request) throws IOException {
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

  static long length(List<ByteBuffer> parts) {
    long n = 0;
    for (ByteBuffer b : parts) n += b.remaining();
    return n;
  }

}
