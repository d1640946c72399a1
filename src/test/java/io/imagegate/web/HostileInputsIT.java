package io.imagegate.web;

import static io.imagegate.web.HostileCases.NULL;
import static io.imagegate.web.HostileRequests.EDIT;
import static io.imagegate.web.HostileRequests.FORM;
import static io.imagegate.web.HostileRequests.GEN;
import static io.imagegate.web.HostileRequests.ascii;
import static io.imagegate.web.HostileRequests.chunked;
import static io.imagegate.web.HostileRequests.concat;
import static io.imagegate.web.HostileRequests.filePart;
import static io.imagegate.web.HostileRequests.form;
import static io.imagegate.web.HostileRequests.json;
import static io.imagegate.web.HostileRequests.post;
import static io.imagegate.web.HostileRequests.textPart;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.web.HostileCases.Case;
import io.imagegate.testing.RawHttp;
import io.imagegate.testing.RunningGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile and odd requests, byte for byte on raw sockets, across every class of input the HTTP edge takes:
 * field values, text encodings, content types, multipart shapes, header sizes, paths, methods, body sizes and
 * framing, and keys. Each case names the status, and for an error the {@code param} and {@code code} of spec
 * §8's JSON object, which must come with an {@code x-request-id} and never a stack trace, an HTML page or a
 * class name. The gateway must still serve afterwards. The table is {@link HostileCases}.
 */
class HostileInputsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static RunningGateway gateway;

  @BeforeAll
  static void start() { gateway = RunningGateway.start(Map.of("IMAGEGATE_MAX_BODY_MB", "2")); }

  @AfterAll
  static void stop() { gateway.close(); }

  @Test
  void everyHostileCase_getsItsStatusAndErrorObject_andTheGatewayStillServes() throws Exception {
    List<Case> cases = HostileCases.all();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(150);
    List<String> wrong = new ArrayList<>();
    for (Case c : cases) {
      RawHttp.Answer a = RawHttp.send(gateway.gateway().port(), c.request());
      String problem = problem(c, a);
      if (problem != null) wrong.add(c + " -> " + problem);
    }
    assertThat(wrong).as("cases answered otherwise than expected").isEmpty();
    RawHttp.Answer health = RawHttp.send(gateway.gateway().port(), "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(health.status()).isEqualTo(200);
    RawHttp.Answer image = RawHttp.send(gateway.gateway().port(), json(GEN, "{\"prompt\":\"still here\",\"quality\":\"low\"}"));
    assertThat(image.status()).isEqualTo(200);
    assertThat(JSON.readTree(image.body()).at("/data/0/b64_json").asText()).isNotEmpty();
  }

  /**
   * The default limits at their edges, on a gateway with default settings: an image part over 50 MB, and a
   * chunked JSON body over the 100 MB body limit, are 413s that name the limit; a part just under, and a 30 MB
   * base64 string in JSON, pass the readers (and are then refused for what they hold, not for their size).
   */
  @Test
  void defaultLimits_aPartOver50MbAndAChunkedBodyOver100Mb_are413sNamingTheLimit() throws Exception {
    try (RunningGateway defaults = RunningGateway.start(Map.of())) {
      int port = defaults.gateway().port();
      byte[] part = new byte[51 * 1024 * 1024];
      for (byte[] request : List.of(post(EDIT, FORM, form(textPart("prompt", ascii("x")), filePart("image[]", "a.png",
          "image/png", part))), chunked(EDIT, FORM, form(textPart("prompt", ascii("x")), textPart("image[]", part))))) {
        RawHttp.Answer a = RawHttp.send(port, request);
        assertThat(a.status()).as(a.body()).isEqualTo(413);
        JsonNode error = JSON.readTree(a.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("request_too_large");
        assertThat(error.get("param").asText()).isEqualTo("image[]");
        assertThat(error.get("message").asText()).contains("50 MB");
      }
      byte[] under = new byte[49 * 1024 * 1024];
      RawHttp.Answer a = RawHttp.send(port, post(EDIT, FORM, form(textPart("prompt", ascii("x")), filePart("image[]",
          "a.png", "image/png", under))));
      assertThat(a.status()).as(a.body()).isEqualTo(400);
      assertThat(JSON.readTree(a.body()).at("/error/code").asText()).isEqualTo("invalid_image");
      // 30 MB of base64 in a JSON string is read whole (and then refused for what it decodes to, not an image)
      byte[] inline = new byte[30 * 1024 * 1024];
      java.util.Arrays.fill(inline, (byte) 'A');
      a = RawHttp.send(port, post(GEN, "application/json", concat(ascii("{\"prompt\":\"x\",\"image\":\""), inline,
          ascii("\"}"))));
      assertThat(a.status()).as(a.body()).isEqualTo(400);
      assertThat(JSON.readTree(a.body()).at("/error/code").asText()).as(a.body()).isEqualTo("invalid_image");
      byte[] base64 = new byte[101 * 1024 * 1024];
      java.util.Arrays.fill(base64, (byte) 'A');
      byte[] json = concat(ascii("{\"prompt\":\"x\",\"image\":\""), base64, ascii("\"}"));
      a = RawHttp.send(port, chunked(GEN, "application/json", json));
      assertThat(a.status()).as(a.body()).isEqualTo(413);
      assertThat(JSON.readTree(a.body()).at("/error/message").asText()).contains("100 MB");
      assertThat(RawHttp.send(port, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status()).isEqualTo(200);
    }
  }

  /** What is wrong with the answer to a case, or null. */
  private static String problem(Case c, RawHttp.Answer a) {
    if (a.status() != c.status()) return "status " + a.status() + " (expected " + c.status() + "): " + clip(a.head() + "\n" + a.body());
    if (c.status() < 400 || c.code() == null) return null; // a success, or an answer without a body (HEAD)
    String head = a.head().toLowerCase();
    if (!head.contains("content-type: application/json")) return "not JSON: " + clip(a.head());
    if (!head.matches("(?s).*x-request-id: req_[0-9a-f]{24}.*")) return "no x-request-id: " + clip(a.head());
    String lower = a.body().toLowerCase();
    for (String leak : new String[] {"jetty", "<html", "exception", "io.imagegate", "javalin", "\tat "}) {
      if (lower.contains(leak)) return "leaks '" + leak + "': " + clip(a.body());
    }
    JsonNode error;
    try {
      error = JSON.readTree(a.body()).get("error");
    } catch (Exception e) {
      return "body is not JSON: " + clip(a.body());
    }
    if (error == null || !error.has("message") || !error.has("type") || !error.has("param") || !error.has("code")) {
      return "not spec §8's error object: " + clip(a.body());
    }
    if (error.get("message").asText().isBlank()) return "an empty message";
    String param = error.get("param").isNull() ? NULL : error.get("param").asText();
    String code = error.get("code").isNull() ? NULL : error.get("code").asText();
    if (!param.equals(c.param()) || !code.equals(c.code())) {
      return "param/code " + param + "/" + code + " (expected " + c.param() + "/" + c.code() + "): " + clip(a.body());
    }
    return null;
  }

  private static String clip(String s) { return s.length() > 400 ? s.substring(0, 400) + "…" : s; }
}
