package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CORS as a browser does it: Debian's headless Chromium loads a page from one origin whose script calls the
 * gateway on another with {@code fetch} (a bearer key, JSON and an {@code Idempotency-Key}, so the browser
 * sends a preflight first). From the allowed origin the call goes through and the gateway's headers are
 * readable; from an origin not allowed the browser refuses the answer.
 */
class CorsBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Pattern RESULT = Pattern.compile("<pre id=\"result\">(.*?)</pre>", Pattern.DOTALL);
  private static HttpServer allowedSite;
  private static HttpServer otherSite;
  private static RunningGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    assertThat(CHROMIUM).as("Chromium (Debian: apt-get install chromium; .ci/run installs it)").isExecutable();
    allowedSite = site();
    otherSite = site();
    gateway = RunningGateway.start(Map.of("IMAGEGATE_CORS_ORIGINS", "http://127.0.0.1:" + allowedSite.getAddress().getPort()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    allowedSite.stop(0);
    otherSite.stop(0);
  }

  @Test
  void aPageOnAnAllowedOrigin_callsTheGatewayAndReadsItsHeaders(@TempDir Path profile) throws Exception {
    JsonNode seen = Http.json(load(allowedSite, profile));
    assertThat(seen.get("status").asInt()).as(seen.toString()).isEqualTo(200);
    assertThat(seen.get("requestId").asText()).as("x-request-id is exposed").matches("req_[0-9a-f]{24}");
    assertThat(seen.get("remaining").asText()).as("the rate-limit headers are exposed").isNotEmpty();
    assertThat(seen.get("images").asInt()).isEqualTo(1);
    assertThat(seen.get("b64").asInt()).isGreaterThan(1000);
    assertThat(seen.get("errorStatus").asInt()).as("an error answer is readable too").isEqualTo(400);
    assertThat(seen.get("errorCode").asText()).isEqualTo("invalid_value");
  }

  @Test
  void aPageOnAnotherOrigin_isRefusedTheAnswerByTheBrowser(@TempDir Path profile) throws Exception {
    JsonNode seen = Http.json(load(otherSite, profile));
    assertThat(seen.get("failed").asText()).as(seen.toString()).contains("Failed to fetch");
  }

  /** Loads the site's page in headless Chromium and gives what its script wrote. */
  private static String load(HttpServer site, Path profile) throws Exception {
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=20000", "--dump-dom",
        "http://127.0.0.1:" + site.getAddress().getPort() + "/"));
    Process chromium = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String dom = new String(chromium.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(chromium.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Matcher m = RESULT.matcher(dom);
    assertThat(m.find()).as(dom).isTrue();
    return m.group(1).replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
  }

  /** A site on its own loopback port serving the page that calls the gateway. */
  private static HttpServer site() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] page = page().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, page.length);
      exchange.getResponseBody().write(page);
      exchange.close();
    });
    server.start();
    return server;
  }

  private static String page() {
    String api = gateway.url("/v1/images/generations");
    return """
        <!doctype html><html><body><pre id="result">pending</pre><script>
        const headers = {'Authorization': 'Bearer %s', 'Content-Type': 'application/json', 'Idempotency-Key': 'cors-' + Date.now()};
        const out = document.getElementById('result');
        (async () => {
          try {
            const r = await fetch('%s', {method: 'POST', headers, body: JSON.stringify({prompt: 'A kite over a beach', quality: 'low'})});
            const body = await r.json();
            const bad = await fetch('%s', {method: 'POST', headers: {...headers, 'Idempotency-Key': 'bad-' + Date.now()},
              body: JSON.stringify({prompt: 'x', size: '1024X1024'})});
            const error = (await bad.json()).error;
            out.textContent = JSON.stringify({status: r.status, requestId: r.headers.get('x-request-id'),
              remaining: r.headers.get('x-ratelimit-remaining-requests'), images: body.data.length,
              b64: body.data[0].b64_json.length, errorStatus: bad.status, errorCode: error.code});
          } catch (e) {
            out.textContent = JSON.stringify({failed: String(e)});
          }
        })();
        </script></body></html>
        """.formatted(RunningGateway.MASTER_KEY, api, api);
  }
}
