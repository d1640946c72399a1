package io.imagegate.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.imagegate.api.ApiException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Against a server on 127.0.0.1 only; refused addresses are refused before any connection. */
class GuardedUrlFetcherTest {
  private static final byte[] PNG = TestImages.png(10, 6, false);
  private static final Map<String, AtomicInteger> HITS = new ConcurrentHashMap<>();
  private static HttpServer server;
  private static int port;

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "test-http");
      t.setDaemon(true);
      return t;
    }));
    port = server.getAddress().getPort();
    handle("/img.png", ex -> send(ex, 200, PNG));
    handle("/missing", ex -> send(ex, 404, "nope".getBytes()));
    handle("/big", ex -> send(ex, 200, new byte[5000]));
    handle("/chunked", ex -> {
      ex.sendResponseHeaders(200, 0); // 0 means chunked to HttpServer
      try (OutputStream out = ex.getResponseBody()) {
        for (int i = 0; i < PNG.length; i += 7) {
          out.write(PNG, i, Math.min(7, PNG.length - i));
          out.flush();
        }
      }
    });
    handle("/chunked-big", ex -> {
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        for (int i = 0; i < 50; i++) {
          out.write(new byte[100]);
          out.flush();
        }
      } catch (IOException expected) {
        // the client hangs up once the limit is passed
      }
    });
    handle("/slow", ex -> {
      sleep(3000);
      send(ex, 200, PNG);
    });
    handle("/secret", ex -> send(ex, 200, PNG));
    handle("/bomb.png", ex -> send(ex, 200, TestImages.pngHeader(30000, 30000, 6)));
    handle("/echo", ex -> send(ex, 200, (ex.getRequestHeaders().getFirst("Host") + " "
        + ex.getRequestURI().getRawPath() + "?" + ex.getRequestURI().getRawQuery()).getBytes()));
    handle("/to", ex -> redirect(ex, 302, ex.getRequestURI().getRawQuery()));
    handle("/r/", ex -> {
      int left = Integer.parseInt(ex.getRequestURI().getPath().substring(3));
      redirect(ex, left % 2 == 0 ? 301 : 307, left == 0 ? "/img.png" : "/r/" + (left - 1));
    });
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  @Test
  void fetch_loopbackAllowListedByAddress_returnsBody() {
    assertThat(fetcher("127.0.0.1").fetch(local("/img.png"), "image")).isEqualTo(PNG);
  }

  @Test
  void fetch_loopbackAllowListedByCidr_returnsBody() {
    assertThat(fetcher("127.0.0.0/8").fetch(local("/img.png"), "image")).isEqualTo(PNG);
  }

  @Test
  void fetch_localhostAllowListedByName_returnsBody() {
    URI uri = URI.create("http://localhost:" + port + "/img.png");
    assertThat(fetcher("localhost").fetch(uri, "image")).isEqualTo(PNG);
  }

  @Test
  void fetch_sendsPathQueryAndHostHeader() {
    byte[] body = fetcher("127.0.0.1").fetch(local("/echo?a=1&b=%2F"), "image");
    assertThat(new String(body)).isEqualTo("127.0.0.1:" + port + " /echo?a=1&b=%2F");
  }

  @Test
  void fetch_loopbackNotAllowListed_isRefusedWithoutConnecting() {
    int before = hits("/secret");

    assertRefused(fetcher(), local("/secret?token=hunter2"), "private or loopback address (127.0.0.1)");
    assertRefused(fetcher("10.0.0.0/8", "example.com"), local("/secret"), "(127.0.0.1)");

    assertThat(hits("/secret")).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://10.0.0.1/x", "http://10.255.1.2:8080/", "http://192.168.1.1/",
      "http://172.16.0.1/", "http://172.31.255.255/", "http://169.254.169.254/latest/meta-data/",
      "https://169.254.169.254/", "http://100.64.0.1/", "http://0.0.0.0/", "http://127.0.0.2/",
      "http://224.0.0.1/", "http://255.255.255.255/", "http://[::1]/", "http://[::]/",
      "http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/", "http://[fe80::1]/",
      "http://[fd00::1]/", "http://[fc00::1]/", "http://[ff02::1]/", "http://[64:ff9b::a00:1]/",
      "http://[2002:7f00:1::]/", "http://[::7f00:1]/"})
  void fetch_nonPublicAddress_isRefusedBeforeConnecting(String url) {
    assertRefused(fetcher(), URI.create(url), "resolves to a private or loopback address");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.2/", "http://10.0.0.1/", "http://169.254.169.254/",
      "http://[::1]/", "http://[::ffff:7f00:2]/"})
  void fetch_allowListingOneAddress_opensNothingElse(String url) {
    assertRefused(fetcher("127.0.0.1", "localhost"), URI.create(url), "resolves to a private or loopback address");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://metadata.google.internal/computeMetadata/v1/", "http://metadata/",
      "http://localhost/", "http://LOCALHOST./", "http://app.localhost/", "http://printer.local/"})
  void fetch_internalHostName_isRefusedBeforeResolving(String url) {
    assertRefused(fetcher("127.0.0.1"), URI.create(url), "is an internal name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"file:/etc/passwd", "file:///etc/passwd", "ftp://example.com/a.png",
      "gopher://example.com/", "jar:file:/x.jar!/a.png", "netdoc:/etc/passwd"})
  void fetch_nonHttpScheme_isRefused(String url) {
    String scheme = url.substring(0, url.indexOf(':'));
    assertRefused(fetcher("127.0.0.1"), URI.create(url), "scheme '" + scheme + "' is not supported");
  }

  @Test
  void fetch_relativeUrlOrMissingHost_isRefused() {
    assertRefused(fetcher(), URI.create("/img.png"), "absolute http or https");
    assertRefused(fetcher(), URI.create("http:///img.png"), "no valid host");
  }

  @Test
  void fetch_redirectToOtherLoopbackAddress_isRefused() {
    int before = hits("/secret");
    URI uri = local("/to?http://127.0.0.2:" + port + "/secret");

    assertRefused(fetcher("127.0.0.1"), uri, "private or loopback address (127.0.0.2)");
    assertThat(hits("/secret")).isEqualTo(before);
  }

  @Test
  void fetch_redirectToPrivateOrMetadataAddress_isRefused() {
    assertRefused(fetcher("127.0.0.1"), local("/to?http://10.0.0.1/x"), "(10.0.0.1)");
    assertRefused(fetcher("127.0.0.1"), local("/to?http://169.254.169.254/latest/meta-data"), "(169.254.169.254)");
    assertRefused(fetcher("127.0.0.1"), local("/to?http://[::1]:" + port + "/secret"), "private or loopback");
    assertRefused(fetcher("127.0.0.1"), local("/to?file:/etc/passwd"), "scheme 'file'");
  }

  @Test
  void fetch_redirectChainWithinLimit_isFollowed() {
    assertThat(fetcher("127.0.0.1").fetch(local("/r/2"), "image")).isEqualTo(PNG); // 3 redirects
  }

  @Test
  void fetch_tooManyRedirects_isRefused() {
    assertRefused(fetcher("127.0.0.1"), local("/r/3"), "redirected more than 3 times");
  }

  @Test
  void fetch_notFound_isRefusedNamingStatus() {
    assertRefused(fetcher("127.0.0.1"), local("/missing?sig=topsecret"), "answered HTTP 404");
  }

  @Test
  void fetch_contentLengthOverLimit_isRefused() {
    assertRefused(fetcher(1000, Duration.ofSeconds(2), "127.0.0.1"), local("/big"), "larger than the limit of 1000 bytes");
    assertThat(fetcher(5000, Duration.ofSeconds(2), "127.0.0.1").fetch(local("/big"), "image")).hasSize(5000);
  }

  @Test
  void fetch_chunkedBody_isReassembled() {
    assertThat(fetcher("127.0.0.1").fetch(local("/chunked"), "image")).isEqualTo(PNG);
  }

  @Test
  void fetch_chunkedBodyOverLimit_isRefused() {
    assertRefused(fetcher(1000, Duration.ofSeconds(2), "127.0.0.1"), local("/chunked-big"), "larger than the limit of 1000 bytes");
  }

  @Test
  void fetch_slowServer_isRefusedAfterTimeout() {
    long start = System.nanoTime();
    assertRefused(fetcher(1_000_000, Duration.ofMillis(300), "127.0.0.1"), local("/slow"), "within 300 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2000));
  }

  @Test
  void fetch_closedPort_isRefusedAsConnectionFailure() throws IOException {
    int closed;
    try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    assertRefused(fetcher("127.0.0.1"), URI.create("http://127.0.0.1:" + closed + "/"), "connection failed");
  }

  @Test
  void resolve_httpUrl_isFetchedAndProbedByContent() {
    ImageSourceResolver resolver = new ImageSourceResolver(
        new ImageLimits(1_000_000, 1_000_000, Duration.ofSeconds(2), 3, List.of("127.0.0.1")));

    InputImage image = resolver.resolve(" " + local("/img.png") + "\n", "image");

    assertThat(image.info()).isEqualTo(new ImageInfo(ImageFormat.PNG, 10, 6, false));
    assertThatThrownBy(() -> resolver.resolve(local("/bomb.png").toString(), "image"))
        .hasMessageContaining("30000x30000");
  }

  @Test
  void resolve_httpUrlToLoopbackWithDefaultLimits_isRefused() {
    ImageSourceResolver resolver = new ImageSourceResolver(ImageLimits.defaults());
    assertThatThrownBy(() -> resolver.resolve(local("/img.png").toString(), "image"))
        .isInstanceOf(ApiException.class).hasMessageContaining("private or loopback address (127.0.0.1)");
  }

  static GuardedUrlFetcher fetcher(String... allowed) {
    return fetcher(1_000_000, Duration.ofSeconds(2), allowed);
  }

  static GuardedUrlFetcher fetcher(long maxBytes, Duration timeout, String... allowed) {
    return new GuardedUrlFetcher(new ImageLimits(maxBytes, 1_000_000, timeout, 3, List.of(allowed)));
  }

  /** Asserts invalid_image with the message part, and that no path or query leaks into it. */
  static void assertRefused(GuardedUrlFetcher fetcher, URI uri, String messagePart) {
    assertThatThrownBy(() -> fetcher.fetch(uri, "images[1]"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo("invalid_image");
          assertThat(e.param()).isEqualTo("images[1]");
          if (uri.getRawQuery() != null) {
            assertThat(e.getMessage()).doesNotContain(uri.getRawQuery());
          }
        })
        .hasMessageContaining(messagePart);
  }

  private static URI local(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  private static int hits(String path) {
    return HITS.computeIfAbsent(path, p -> new AtomicInteger()).get();
  }

  private static void handle(String path, HttpHandler handler) {
    server.createContext(path, ex -> {
      HITS.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      try {
        handler.handle(ex);
      } finally {
        ex.close();
      }
    });
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    } catch (IOException ignored) {
      // a client that refused the body hangs up early
    }
  }

  private static void redirect(HttpExchange ex, int status, String location) throws IOException {
    ex.getResponseHeaders().add("Location", location);
    ex.sendResponseHeaders(status, -1);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
