package io.imagegate.image;

import static io.imagegate.image.GuardedUrlFetcherTest.assertRefused;
import static io.imagegate.image.GuardedUrlFetcherTest.fetcher;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Answers the HttpServer cannot give, written byte by byte from a raw socket on 127.0.0.1. */
class FetchWireTest {
  private static final byte[] PNG = TestImages.png(3, 3, true);

  private ServerSocket listener;
  private volatile String request = "";

  interface Script {
    void answer(OutputStream out) throws IOException, InterruptedException;
  }

  @AfterEach
  void close() throws IOException {
    if (listener != null) {
      listener.close();
    }
  }

  @Test
  void fetch_bodyDelimitedByConnectionClose_isRead() throws IOException {
    URI uri = serve(out -> {
      out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n"));
      out.write(PNG);
    });
    assertThat(fetcher("127.0.0.1").fetch(uri, "image")).isEqualTo(PNG);
    assertThat(request).startsWith("GET /img?x=1 HTTP/1.1\r\n").contains("Connection: close\r\n");
  }

  @Test
  void fetch_closeDelimitedBodyOverLimit_isRefused() throws IOException {
    URI uri = serve(out -> {
      out.write(ascii("HTTP/1.0 200 OK\r\n\r\n"));
      out.write(new byte[3000]);
    });
    assertRefused(fetcher(2999, Duration.ofSeconds(2), "127.0.0.1"), uri, "larger than the limit of 2999 bytes");
  }

  @Test
  void fetch_bodyOfExactlyTheLimit_isAccepted() throws IOException {
    URI uri = serve(out -> {
      out.write(ascii("HTTP/1.1 200 OK\r\n\r\n"));
      out.write(PNG);
    });
    assertThat(fetcher(PNG.length, Duration.ofSeconds(2), "127.0.0.1").fetch(uri, "image")).isEqualTo(PNG);
  }

  @Test
  void fetch_interimContinueThenChunkedWithExtensionsAndTrailer_isRead() throws IOException {
    URI uri = serve(out -> {
      out.write(ascii("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
      out.write(ascii(Integer.toHexString(10) + ";name=v\r\n"));
      out.write(PNG, 0, 10);
      out.write(ascii("\r\n" + Integer.toHexString(PNG.length - 10).toUpperCase() + "\r\n"));
      out.write(PNG, 10, PNG.length - 10);
      out.write(ascii("\r\n0\r\nX-Trailer: 1\r\n\r\n"));
    });
    assertThat(fetcher("127.0.0.1").fetch(uri, "image")).isEqualTo(PNG);
  }

  @Test
  void fetch_dripFeedingServer_hitsTheTotalTimeout() throws IOException {
    URI uri = serve(out -> {
      out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"));
      for (int i = 0; i < 1000; i++) {
        out.write(0); // every byte arrives well within a per-read timeout
        out.flush();
        Thread.sleep(20);
      }
    });
    long start = System.nanoTime();
    assertRefused(fetcher(1_000_000, Duration.ofMillis(400), "127.0.0.1"), uri, "within 400 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
  }

  @Test
  void fetch_truncatedBody_isRefused() throws IOException {
    URI uri = serve(out -> out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\nshort")));
    assertRefused(fetcher("127.0.0.1"), uri, "connection failed");
  }

  @Test
  void fetch_nonHttpAnswer_isRefused() throws IOException {
    URI uri = serve(out -> out.write(ascii("SSH-2.0-OpenSSH_9.6\r\n")));
    assertRefused(fetcher("127.0.0.1"), uri, "did not answer with valid HTTP");
  }

  @Test
  void fetch_conflictingContentLengths_isRefused() throws IOException {
    URI uri = serve(out -> out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")));
    assertRefused(fetcher("127.0.0.1"), uri, "did not answer with valid HTTP");
  }

  @Test
  void fetch_badChunkSize_isRefused() throws IOException {
    URI uri = serve(out -> out.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")));
    assertRefused(fetcher("127.0.0.1"), uri, "did not answer with valid HTTP");
  }

  @Test
  void fetch_redirectWithoutLocation_isRefused() throws IOException {
    URI uri = serve(out -> out.write(ascii("HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n")));
    assertRefused(fetcher("127.0.0.1"), uri, "without a Location");
  }

  /** Serves one connection with the script, after reading the request head. */
  private URI serve(Script script) throws IOException {
    listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(() -> {
      try (Socket socket = listener.accept()) {
        request = readHead(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        script.answer(out);
        out.flush();
      } catch (IOException | InterruptedException e) {
        // the client hung up, or the test is over
      }
    });
    return URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/img?x=1");
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
