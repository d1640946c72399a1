package io.imagegate.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The upstream client against a scripted HTTP/1.1 server on loopback: framing, keep-alive and failures. */
class Http1ClientTest {
  private MockWebServer server;
  private final Http1Client client = new Http1Client(Duration.ofSeconds(2));

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() throws IOException { server.shutdown(); }

  @Test
  void post_sendsHeadAndBodyExactly_readsAContentLengthBody_thenReusesTheConnection() throws Exception {
    server.enqueue(new MockResponse().setBody("{\"data\":[]}").addHeader("x-request-id", "up-1"));
    server.enqueue(new MockResponse().setBody("second"));
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.url("/v1/images/edits?api-version=1").toString()))
        .header("Authorization", "Bearer sk-up").header("Content-Type", "multipart/form-data; boundary=b")
        .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of("part one|".getBytes(UTF_8), "part two".getBytes(UTF_8))))
        .build();
    Http1Client.Response first = client.send(request);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("X-Request-Id")).hasValue("up-1");
    assertThat(read(first)).isEqualTo("{\"data\":[]}");
    Http1Client.Response second = client.send(request);
    assertThat(read(second)).isEqualTo("second");

    RecordedRequest seen = server.takeRequest();
    assertThat(seen.getRequestLine()).isEqualTo("POST /v1/images/edits?api-version=1 HTTP/1.1");
    assertThat(seen.getHeader("Host")).isEqualTo(server.getHostName() + ":" + server.getPort());
    assertThat(seen.getHeader("Authorization")).isEqualTo("Bearer sk-up");
    assertThat(seen.getHeader("Content-Length")).isEqualTo("17");
    assertThat(seen.getBody().readUtf8()).isEqualTo("part one|part two");
    assertThat(seen.getSequenceNumber()).isZero();
    assertThat(server.takeRequest().getSequenceNumber()).as("the same connection, kept alive").isEqualTo(1);
  }

  @Test
  void post_aMegabyteBodyInPieces_arrivesExactly() throws Exception {
    server.enqueue(new MockResponse().setBody("ok"));
    byte[] a = randomBytes(1_100_000, 1);
    byte[] b = randomBytes(20_000, 2);
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.url("/v1/images/edits").toString()))
        .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of("--b\r\n".getBytes(UTF_8), a, b, "--b--".getBytes(UTF_8))))
        .build();
    assertThat(read(client.send(request))).isEqualTo("ok");
    RecordedRequest seen = server.takeRequest();
    assertThat(seen.getHeader("Content-Length")).isEqualTo(String.valueOf(5 + a.length + b.length + 5));
    assertThat(seen.getBody().readByteArray()).isEqualTo(java.nio.ByteBuffer.allocate(10 + a.length + b.length)
        .put("--b\r\n".getBytes(UTF_8)).put(a).put(b).put("--b--".getBytes(UTF_8)).array());
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] bytes = new byte[n];
    new java.util.Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void chunkedAnswer_isDecoded_andTheConnectionReused() throws Exception {
    server.enqueue(new MockResponse().setChunkedBody("event: partial\ndata: {\"a\":1}\n\n".repeat(50), 7));
    server.enqueue(new MockResponse().setBody("ok"));
    assertThat(read(client.send(get()))).isEqualTo("event: partial\ndata: {\"a\":1}\n\n".repeat(50));
    assertThat(read(client.send(get()))).isEqualTo("ok");
    server.takeRequest();
    assertThat(server.takeRequest().getSequenceNumber()).isEqualTo(1);
  }

  @Test
  void aBodyClosedBeforeItsEnd_closesTheConnection() throws Exception {
    server.enqueue(new MockResponse().setBody("x".repeat(100_000)));
    server.enqueue(new MockResponse().setBody("fresh"));
    Http1Client.Response r = client.send(get());
    assertThat(r.body().read(new byte[10])).isEqualTo(10);
    r.body().close();
    assertThat(read(client.send(get()))).isEqualTo("fresh");
    server.takeRequest();
    assertThat(server.takeRequest().getSequenceNumber()).as("a new connection").isZero();
  }

  @Test
  void aKeptAliveConnectionTheServerClosed_isReplacedWithoutAFailure() throws Exception {
    server.enqueue(new MockResponse().setBody("first").setSocketPolicy(SocketPolicy.DISCONNECT_AT_END));
    server.enqueue(new MockResponse().setBody("second"));
    assertThat(read(client.send(get()))).isEqualTo("first");
    Thread.sleep(100); // the server has closed its end by now
    assertThat(read(client.send(get()))).isEqualTo("second");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void anAnswerCutShortOfItsContentLength_failsTheRead() throws Exception {
    server.enqueue(new MockResponse().setBody("y".repeat(200_000))
        .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
    Http1Client.Response r = client.send(get());
    assertThatThrownBy(() -> r.body().readAllBytes()).isInstanceOf(IOException.class);
  }

  @Test
  void errorStatus_headersAndBodyReachTheCaller() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(429).addHeader("retry-after-ms", "1500")
        .setBody("{\"error\":{\"message\":\"slow down\"}}"));
    Http1Client.Response r = client.send(get());
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("Retry-After-Ms")).hasValue("1500");
    assertThat(read(r)).contains("slow down");
  }

  @Test
  void nobodyListening_isAConnectException() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/images/generations")).GET().build();
    assertThatThrownBy(() -> client.send(request)).isInstanceOf(ConnectException.class);
  }

  @Test
  void interruptedWhileWaitingForTheHead_closesTheSocketAtOnce() throws Exception {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    Throwable[] failure = new Throwable[1];
    Thread caller = Thread.ofVirtual().start(() -> {
      try {
        client.send(get());
      } catch (Throwable t) {
        failure[0] = t;
      }
    });
    Thread.sleep(200);
    long start = System.nanoTime();
    caller.interrupt();
    caller.join(2000);
    assertThat(caller.isAlive()).isFalse();
    assertThat(System.nanoTime() - start).isLessThan(1_500_000_000L);
    assertThat(failure[0]).isInstanceOf(IOException.class);
  }

  @Test
  void https_checksTheCertificateAndTheHostName(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    io.imagegate.testing.TestCertificates certs = io.imagegate.testing.TestCertificates.localhost(dir);
    try (MockWebServer tls = new MockWebServer()) {
      tls.useHttps(certs.server().getSocketFactory(), false);
      tls.enqueue(new MockResponse().setBody("over tls"));
      tls.enqueue(new MockResponse().setBody("large body over tls"));
      tls.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
      Http1Client trusting = new Http1Client(Duration.ofSeconds(2), Duration.ofSeconds(10), certs.client().getSocketFactory());
      String byName = "https://localhost:" + tls.getPort() + "/v1/images/generations";
      assertThat(read(trusting.send(HttpRequest.newBuilder(URI.create(byName)).GET().build()))).isEqualTo("over tls");
      // a body large enough to leave in several writes goes through TLS too, never around it
      byte[] large = randomBytes(300_000, 7);
      assertThat(read(trusting.send(HttpRequest.newBuilder(URI.create(byName))
          .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of("head|".getBytes(UTF_8), large))).build())))
          .isEqualTo("large body over tls");
      tls.takeRequest();
      assertThat(tls.takeRequest().getBody().readByteArray())
          .isEqualTo(java.nio.ByteBuffer.allocate(5 + large.length).put("head|".getBytes(UTF_8)).put(large).array());
      // The certificate names "localhost" only: the same server by address is refused.
      String byAddress = "https://127.0.0.1:" + tls.getPort() + "/v1/images/generations";
      assertThatThrownBy(() -> trusting.send(HttpRequest.newBuilder(URI.create(byAddress)).GET().build()))
          .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
      // And a client trusting only the JDK's CAs refuses the self-made certificate.
      assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create(byName)).GET().build()))
          .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }
  }

  @Test
  void aPeerThatStallsMidBody_failsTheReadAfterTheReadTimeout() throws Exception {
    server.enqueue(new MockResponse().setBody("z".repeat(1000)).throttleBody(100, 5, java.util.concurrent.TimeUnit.SECONDS));
    Http1Client impatient = new Http1Client(Duration.ofSeconds(2), Duration.ofMillis(300));
    Http1Client.Response r = impatient.send(get());
    long start = System.nanoTime();
    assertThatThrownBy(() -> r.body().readAllBytes()).isInstanceOf(java.net.SocketTimeoutException.class);
    assertThat(System.nanoTime() - start).isLessThan(3_000_000_000L);
  }

  private HttpRequest get() { return HttpRequest.newBuilder(URI.create(server.url("/x").toString())).GET().build(); }

  private static String read(Http1Client.Response r) throws IOException {
    try (InputStream in = r.body()) {
      return new String(in.readAllBytes(), UTF_8);
    }
  }
}
