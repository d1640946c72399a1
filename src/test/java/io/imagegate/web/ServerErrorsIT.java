package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.testing.RawHttp;
import io.imagegate.testing.RunningGateway;
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
      RawHttp.Answer a = send("POST /v1/images/generations HTTP/1.1\r\nHost: x\r\n" + headers + "Content-Length: 2\r\n\r\n{}");
      assertError(a, 431, "request_headers_too_large");
    }
  }

  @Test
  void unparsablePaths_are400Json() throws Exception {
    for (String path : new String[] {"/v1/%00models", "/v1/%C0%AFmodels", "/v1/mo\u0000dels"}) {
      RawHttp.Answer a = send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertError(a, 400, "malformed_request");
    }
  }

  @Test
  void unsupportedVersionAndOverlongUrl_areJsonToo() throws Exception {
    assertError(send("GET /health HTTP/3.0\r\nHost: x\r\n\r\n"), 505, null);
    assertError(send("GET /v1/" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414, "url_too_long");
  }

  private static void assertError(RawHttp.Answer a, int status, String code) throws Exception {
    assertThat(a.status()).as(a.head()).isEqualTo(status);
    assertThat(a.head().toLowerCase()).contains("content-type: application/json").containsPattern("x-request-id: req_[0-9a-f]{24}");
    JsonNode error = JSON.readTree(a.body()).get("error");
    if (code == null) assertThat(error.get("code").isNull()).isTrue();
    else assertThat(error.get("code").asText()).isEqualTo(code);
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.has("param")).isTrue();
    assertThat(a.body().toLowerCase()).doesNotContain("jetty").doesNotContain("<html");
  }

  private static RawHttp.Answer send(String request) { return RawHttp.send(gateway.gateway().port(), request); }
}
