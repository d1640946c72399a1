package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.testing.RunningGateway;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the HTTP server refuses before any route runs still answers spec §8's JSON, never Jetty's HTML page. */
class ServerErrorsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static RunningGateway gateway;

  @BeforeAll
  static void start() { gateway = RunningGateway.start(); }

  @AfterAll
  static void stop() { gateway.close(); }

  @Test
  void tooLargeHeaders_are431Json() throws Exception {
    String key = "Authorization: Bearer sk-" + "a".repeat(10_000) + "\r\n";
    String big = "X-Big: " + "b".repeat(16_000) + "\r\n";
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 500; i++) many.append("X-Header-").append(i).append(": some-value\r\n");
    for (String headers : new String[] {key, big, many.toString(), "Content-Type: application/" + "j".repeat(9000) + "\r\n"}) {
      Answer a = send("POST /v1/images/generations HTTP/1.1\r\nHost: x\r\n" + headers + "Content-Length: 2\r\n\r\n{}");
      assertError(a, 431, "request_headers_too_large");
    }
  }

  @Test
  void unparsablePaths_are400Json() throws Exception {
    for (String path : new String[] {"/v1/%00models", "/v1/%C0%AFmodels", "/v1/mo\u0000dels"}) {
      Answer a = send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertError(a, 400, "malformed_request");
    }
  }

  @Test
  void unsupportedVersionAndOverlongUrl_areJsonToo() throws Exception {
    assertError(send("GET /health HTTP/3.0\r\nHost: x\r\n\r\n"), 505, null);
    assertError(send("GET /v1/" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414, "url_too_long");
  }

  private static void assertError(Answer a, int status, String code) throws Exception {
    assertThat(a.status).as(a.head).isEqualTo(status);
    assertThat(a.head.toLowerCase()).contains("content-type: application/json").containsPattern("x-request-id: req_[0-9a-f]{24}");
    JsonNode error = JSON.readTree(a.body).get("error");
    if (code == null) assertThat(error.get("code").isNull()).isTrue();
    else assertThat(error.get("code").asText()).isEqualTo(code);
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.has("param")).isTrue();
    assertThat(a.body.toLowerCase()).doesNotContain("jetty").doesNotContain("<html");
  }

  private record Answer(int status, String head, String body) {}

  /** One raw request on its own connection; the answer read to the end (the server closes after an error). */
  private static Answer send(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", gateway.gateway().port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int headEnd = -1;
      long length = -1;
      while (true) {
        int n;
        try {
          n = in.read(buf);
        } catch (java.net.SocketException e) {
          break; // reset after the answer: what was read is the answer
        }
        if (n < 0) break;
        all.write(buf, 0, n);
        String text = all.toString(StandardCharsets.ISO_8859_1);
        if (headEnd < 0 && (headEnd = text.indexOf("\r\n\r\n")) >= 0) {
          java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text.substring(0, headEnd));
          if (m.find()) length = Long.parseLong(m.group(1));
        }
        if (headEnd >= 0 && length >= 0 && all.size() >= headEnd + 4 + length) break;
      }
      String text = all.toString(StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      assertThat(end).as("an HTTP answer: " + text).isPositive();
      String head = text.substring(0, end);
      int status = Integer.parseInt(head.substring(9, 12));
      return new Answer(status, head, text.substring(end + 4));
    }
  }
}
