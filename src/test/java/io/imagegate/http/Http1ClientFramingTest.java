package io.imagegate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * How the client reads an answer's framing, against a raw socket that answers exactly the bytes given: a body
 * framed two ways, or by Content-Length values that disagree, is refused (the smuggling classics), and one
 * deadline bounds the whole call.
 */
class Http1ClientFramingTest {

  @Test
  void send_conflictingContentLengths_isRefused() throws Exception {
    assertRefused("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", "Content-Length");
    assertRefused("HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nhello!", "Content-Length");
    assertRefused("HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello", "Content-Length");
  }

  @Test
  void send_chunkedAndContentLengthTogether_isRefused() throws Exception {
    assertRefused("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "Transfer-Encoding");
  }

  @Test
  void send_unknownTransferEncoding_isRefused() throws Exception {
    assertRefused("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", "Transfer-Encoding");
  }

  @Test
  void send_repeatedEqualContentLengths_areOneLength() throws Exception {
    try (OneAnswer server = new OneAnswer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello")) {
      Http1Client.Response r = new Http1Client(Duration.ofSeconds(2)).send(server.request());
      try (InputStream body = r.body()) {
        assertThat(new String(body.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello");
      }
    }
  }

  @Test
  void send_answerSlowerThanTheDeadline_timesOutAtTheDeadline() throws Exception {
    try (OneAnswer server = new OneAnswer(null)) { // reads the request, never answers
      long start = System.nanoTime();
      long deadline = start + Duration.ofMillis(400).toNanos();
      assertThatThrownBy(() -> new Http1Client(Duration.ofSeconds(2)).send(server.request(), deadline))
          .isInstanceOf(SocketTimeoutException.class);
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(350L, 3000L);
    }
  }

  private static void assertRefused(String answer, String naming) throws Exception {
    try (OneAnswer server = new OneAnswer(answer)) {
      assertThatThrownBy(() -> {
        Http1Client.Response r = new Http1Client(Duration.ofSeconds(2)).send(server.request());
        r.body().readAllBytes();
      }).isInstanceOf(IOException.class).hasMessageContaining(naming);
    }
  }

  /** A server on 127.0.0.1 that reads one request head and writes {@code answer} (null: nothing). */
  private static final class OneAnswer implements AutoCloseable {
    private final ServerSocket server;

    OneAnswer(String answer) throws IOException {
      server = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
      Thread.ofVirtual().start(() -> {
        try (Socket s = server.accept()) {
          InputStream in = s.getInputStream();
          int matched = 0;
          while (matched < 4) {
            int b = in.read();
            if (b < 0) return;
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
          }
          if (answer == null) {
            Thread.sleep(5000);
            return;
          }
          s.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
          Thread.sleep(200);
        } catch (IOException | InterruptedException ignored) {
          // the test is over
        }
      });
    }

    HttpRequest request() {
      return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/x")).GET().build();
    }

    @Override
    public void close() throws IOException { server.close(); }
  }
}
