package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.imagegate.testing.HeadlessChromium;
import io.imagegate.testing.RunningGateway;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard mounted under a path prefix by a reverse proxy ({@code /gw/} here, stripped before the gateway):
 * with relative URLs only, the page, its modules, sign-in and every page's API calls go through the prefix, and
 * the session cookie is scoped to {@code /gw/admin}. The proxy records every path the browser asked for.
 */
class ConsoleBehindAPrefixIT {
  private static RunningGateway gateway;
  private static HttpServer proxy;
  private static ChromeDriver browser;
  private static final List<String> asked = new CopyOnWriteArrayList<>();
  private static final Set<String> HOP = Set.of("connection", "keep-alive", "transfer-encoding", "content-length", "host",
      "expect", "upgrade");
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws IOException {
    gateway = RunningGateway.start();
    proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    proxy.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    proxy.createContext("/", ConsoleBehindAPrefixIT::forward);
    proxy.start();
    browser = HeadlessChromium.start();
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.quit();
    if (proxy != null) proxy.stop(0);
    if (gateway != null) gateway.close();
  }

  @Test
  void everyPageWorksUnderThePrefix() {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    browser.get("http://127.0.0.1:" + proxy.getAddress().getPort() + "/gw/");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("admin-key"))).sendKeys(RunningGateway.MASTER_KEY);
    browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    for (String page : List.of("keys", "usage", "requests", "providers", "playground", "overview")) {
      browser.findElement(By.cssSelector("#nav a[href='#" + page + "']")).click();
      wait.until(d -> page.equals(d.findElement(By.id("page")).getAttribute("data-page")));
      wait.until(d -> !d.findElements(By.cssSelector("#page table, #page form, #page .stats .stat")).isEmpty());
      assertThat(browser.findElements(By.cssSelector("#page .error")).stream().map(e -> e.getText()).filter(t -> !t.isEmpty()))
          .as(page).isEmpty();
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> cookies = (List<Map<String, Object>>) browser.executeCdpCommand("Storage.getCookies", Map.of())
        .get("cookies");
    assertThat(cookies).anySatisfy(c -> {
      assertThat(c.get("name")).isEqualTo(ConsoleSession.COOKIE);
      assertThat(c.get("path")).isEqualTo("/gw/admin");
    });
    assertThat(asked).contains("/gw/", "/gw/ui/app.js", "/gw/admin/session", "/gw/admin/keys", "/gw/admin/overview?window=24h")
        .allSatisfy(path -> assertThat(path).startsWith("/gw/"));
  }

  /** A plain reverse proxy: /gw/x goes to the gateway's /x, headers and body as they are. */
  private static void forward(HttpExchange ex) throws IOException {
    String raw = ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
    asked.add(raw);
    if (!raw.startsWith("/gw/")) {
      ex.sendResponseHeaders(404, -1);
      ex.close();
      return;
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url(raw.substring(3))))
        .timeout(Duration.ofSeconds(60));
    ex.getRequestHeaders().forEach((name, values) -> {
      if (!HOP.contains(name.toLowerCase())) values.forEach(v -> b.header(name, v));
    });
    b.header("X-Forwarded-Host", ex.getRequestHeaders().getFirst("Host"));
    byte[] body = ex.getRequestBody().readAllBytes();
    b.method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(body));
    HttpResponse<byte[]> up;
    try {
      up = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    up.headers().map().forEach((name, values) -> {
      if (!HOP.contains(name.toLowerCase()) && !name.startsWith(":")) ex.getResponseHeaders().put(name, values);
    });
    int status = up.statusCode();
    boolean empty = status == 204 || status == 304 || up.body().length == 0;
    ex.sendResponseHeaders(status, empty ? -1 : up.body().length);
    if (!empty) ex.getResponseBody().write(up.body());
    ex.close();
  }
}
