package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's files over real HTTP: the page at {@code /}, its modules under {@code /ui/}, each with the
 * strict Content-Security-Policy, an ETag and the right type; nothing outside the folder; every URL in them
 * relative (so the dashboard works under a proxy's path prefix) and nothing from another origin.
 */
class ConsolePagesIT {
  private static final Path UI = Path.of("src/main/resources/ui");
  private static RunningGateway gateway;

  @BeforeAll
  static void start() { gateway = RunningGateway.start(); }

  @AfterAll
  static void stop() { gateway.close(); }

  @Test
  void thePageAndItsModules_comeWithAStrictPolicy() {
    Http.Answer page = Http.get(gateway.url("/"), null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.header("Content-Security-Policy")).isEqualTo(ConsolePages.CSP).contains("script-src 'self'")
        .doesNotContain("unsafe");
    assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(new String(page.raw().body())).contains("<script type=\"module\" src=\"ui/app.js\">");
    Http.Answer app = Http.get(gateway.url("/ui/app.js"), null);
    assertThat(app.header("Content-Type")).startsWith("text/javascript");
    assertThat(Http.get(gateway.url("/ui/vendor/uplot.min.css"), null).header("Content-Type")).startsWith("text/css");
    assertThat(Http.get(gateway.url("/ui/pages/playground.js"), null).status()).isEqualTo(200);
  }

  @Test
  void anUnchangedFile_isNotSentAgain() {
    Http.Answer first = Http.get(gateway.url("/ui/style.css"), null);
    assertThat(first.header("Cache-Control")).isEqualTo("no-cache");
    Http.Answer again = Http.send(HttpRequest.newBuilder(URI.create(gateway.url("/ui/style.css")))
        .header("If-None-Match", first.header("ETag")).GET().build());
    assertThat(again.status()).isEqualTo(304);
    assertThat(again.raw().body()).isEmpty();
  }

  @Test
  void nothingOutsideTheFolderIsServed() {
    for (String path : List.of("/ui/missing.js", "/ui/vendor/VENDOR.md", "/ui/..%2Flogback.xml", "/ui/%2e%2e/logback.xml",
        "/ui/vendor/uplot-license.txt", "/ui/.hidden.js")) {
      Http.Answer a = Http.get(gateway.url(path), null);
      assertThat(a.status()).as(path).isIn(400, 404);
      assertThat(new String(a.raw().body())).as(path).doesNotContain("<configuration");
    }
    Http.Answer missing = Http.get(gateway.url("/ui/missing.js"), null);
    assertThat(missing.error().get("message").asText()).contains("Invalid URL");
  }

  /** No absolute URL, no other origin, nothing inline: what a proxy prefix and the policy need. */
  @Test
  void everyUrlInTheDashboard_isRelative() throws IOException {
    Pattern absolute = Pattern.compile("(?:src|href)=\"/|(?:fetch|api|import)\\s*\\(\\s*['\"`]/|from\\s+['\"]/|https?://|<style|\\sstyle=\"|\\son[a-z]+=\"");
    try (Stream<Path> files = Files.walk(UI)) {
      for (Path f : files.filter(p -> p.toString().matches(".*\\.(js|html|css)") && !p.startsWith(UI.resolve("vendor"))).toList()) {
        Matcher m = absolute.matcher(Files.readString(f));
        assertThat(m.find()).as(f + (m.hitEnd() ? "" : " at " + safeGroup(m))).isFalse();
      }
    }
  }

  private static String safeGroup(Matcher m) {
    try {
      return m.group();
    } catch (IllegalStateException e) {
      return "";
    }
  }
}
