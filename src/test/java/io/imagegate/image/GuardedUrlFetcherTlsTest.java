package io.imagegate.image;

import static io.imagegate.image.GuardedUrlFetcherTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import io.imagegate.testing.TestCertificates;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS to 127.0.0.1 with a throwaway certificate for the name "localhost" only. */
class GuardedUrlFetcherTlsTest {
  private static final byte[] PNG = TestImages.png(4, 4, false);
  private static HttpsServer server;
  private static SSLSocketFactory trusting;
  private static int port;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    TestCertificates certificates = TestCertificates.localhost(dir);
    SSLContext serverContext = certificates.server();
    trusting = certificates.client().getSocketFactory();

    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
    server.createContext("/img.png", ex -> {
      ex.sendResponseHeaders(200, PNG.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(PNG);
      }
    });
    server.start();
    port = server.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  @Test
  void fetch_httpsWithCertificateForTheName_returnsBody() {
    GuardedUrlFetcher fetcher = new GuardedUrlFetcher(limits("localhost"), trusting);
    assertThat(fetcher.fetch(URI.create("https://localhost:" + port + "/img.png"), "image")).isEqualTo(PNG);
  }

  @Test
  void fetch_httpsWhereCertificateDoesNotNameTheHost_isRefused() {
    // same trusted certificate, but it names "localhost", not 127.0.0.1: hostname verification is on
    GuardedUrlFetcher fetcher = new GuardedUrlFetcher(limits("127.0.0.1"), trusting);
    assertRefused(fetcher, URI.create("https://127.0.0.1:" + port + "/img.png"), "TLS with the image URL host '127.0.0.1' failed");
  }

  @Test
  void fetch_httpsWithUntrustedCertificate_isRefused() {
    GuardedUrlFetcher fetcher = new GuardedUrlFetcher(limits("localhost"));
    assertRefused(fetcher, URI.create("https://localhost:" + port + "/img.png"), "TLS with the image URL host 'localhost' failed");
  }

  private static ImageLimits limits(String allowed) {
    return new ImageLimits(1_000_000, 1_000_000, Duration.ofSeconds(5), 3, List.of(allowed));
  }
}
