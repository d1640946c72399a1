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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
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
    Path store = dir.resolve("test.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "t", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-ext", "san=dns:localhost", "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
        "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
    keytool.getInputStream().transferTo(OutputStream.nullOutputStream());
    assertThat(keytool.waitFor(30, TimeUnit.SECONDS) && keytool.exitValue() == 0).as("keytool").isTrue();

    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, "changeit".toCharArray());
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(kmf.getKeyManagers(), null, null);

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("t", keys.getCertificate("t"));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, tmf.getTrustManagers(), null);
    trusting = clientContext.getSocketFactory();

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
