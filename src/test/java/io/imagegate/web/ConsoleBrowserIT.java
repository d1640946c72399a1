package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.Http;
import io.imagegate.testing.HeadlessChromium;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard end to end in Debian's headless Chromium, driven by Selenium through Debian's chromedriver
 * (nothing downloaded), with every host but 127.0.0.1 unresolvable: sign in; create a key and use it with curl;
 * see that request on the requests page and in the usage totals; generate n=2 in the playground; stream with
 * partial images; draw a mask and check that the edit changed the masked area and nothing else; revoke the key
 * and see its next call refused; sign out. A screenshot of each page goes to target/console-screenshots.
 */
class ConsoleBrowserIT {
  private static final Path SHOTS = Path.of("target/console-screenshots");
  private static RunningGateway gateway;
  private static ChromeDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    assertThat(HeadlessChromium.DRIVER).as("Debian's chromium-driver (.ci/run installs it)").isExecutable();
    io.imagegate.testing.NodePackages.install(); // axe-core
    gateway = RunningGateway.start();
    Files.createDirectories(SHOTS);
    browser = HeadlessChromium.start();
    wait = new WebDriverWait(browser, Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.quit();
    if (gateway != null) gateway.close();
  }

  @Test
  void theOperatorsPath() throws Exception {
    // sign in: the key is exchanged for an HttpOnly cookie and kept nowhere by the page
    browser.get(gateway.url("/"));
    WebElement key = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("admin-key")));
    shot("sign-in");
    key.sendKeys(RunningGateway.MASTER_KEY);
    browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    Map<String, Object> session = sessionCookie();
    assertThat(session).as("the cookie is scoped to /admin: WebDriver's page view of / does not see it").isNotNull();
    assertThat(session.get("httpOnly")).isEqualTo(true);
    assertThat(session.get("sameSite")).isEqualTo("Strict");
    assertThat(session.get("path")).isEqualTo("/admin");
    assertThat((Long) browser.executeScript("return localStorage.length + sessionStorage.length")).isZero();
    assertThat(browser.findElement(By.id("admin-key")).getAttribute("value")).isEmpty();
    assertThat((String) browser.executeScript("return document.cookie")).isEmpty();

    // create a key: its secret is shown once
    page("keys");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#key-form input[name=name]"))).sendKeys("e2e-app");
    browser.findElement(By.cssSelector("#key-form input[name=rpm]")).sendKeys("100");
    browser.findElement(By.cssSelector("#key-form button[type=submit]")).click();
    String secret = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-secret"))).getText().trim();
    assertThat(secret).startsWith("sk-");
    shot("keys");
    JsonNode listed = Http.get(gateway.url("/admin/keys"), RunningGateway.MASTER_KEY).json().get("data").get(0);
    assertThat(listed.get("name").asText()).isEqualTo("e2e-app");
    assertThat(listed.get("rpm").asInt()).isEqualTo(100);
    String keyId = listed.get("id").asText();

    // use it with curl, then find that request on the requests page and in the usage totals
    Curl call = curl(secret);
    assertThat(call.status).as(call.body).isEqualTo(200);
    page("requests");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("requests-table"), call.requestId));
    new Select(browser.findElement(By.cssSelector("select[name=key]"))).selectByValue(keyId);
    browser.findElement(By.cssSelector("#page form button[type=submit]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("requests-table"), keyId));
    assertThat(browser.findElements(By.cssSelector("#requests-table tbody tr"))).hasSize(1);
    shot("requests");
    page("usage");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("usage-by-key"), "e2e-app (" + keyId + ")"));
    assertThat(browser.findElement(By.cssSelector("#usage-totals [data-stat=requests] .value")).getText()).isEqualTo("1");
    shot("usage");
    page("overview");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-stat=requests] .value"), "1"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chart-requests canvas")));
    shot("overview");
    page("providers");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("providers-table"), "closed"));
    shot("providers");

    // the playground: n=2
    page("playground");
    WebElement prompt = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("textarea[name=prompt]")));
    prompt.sendKeys("two red foxes in the snow");
    WebElement n = browser.findElement(By.cssSelector("input[name=n]"));
    n.clear();
    n.sendKeys("2");
    new Select(browser.findElement(By.cssSelector("select[name=quality]"))).selectByValue("low");
    run();
    waitFinals(2);
    assertThat(naturalWidths()).containsExactly(1024L, 1024L);
    wait.until(d -> !d.findElement(By.id("result-cost")).getText().equals("…"));
    assertThat(browser.findElement(By.id("result-cost")).getText()).startsWith("$");
    assertThat(browser.findElement(By.cssSelector("#result-meta [data-meta='Request id']")).getText()).startsWith("req_");
    assertThat(browser.findElements(By.cssSelector("#results a.download"))).hasSize(2);
    shot("playground");

    // size rules are checked as you type
    new Select(browser.findElement(By.cssSelector("select[name=size]"))).selectByValue("custom");
    WebElement width = browser.findElement(By.cssSelector("input[name=width]"));
    width.clear();
    width.sendKeys("1000");
    assertThat(browser.findElement(By.id("size-error")).getText()).contains("multiples of 16");
    assertThat(browser.findElement(By.id("run")).isEnabled()).isFalse();
    new Select(browser.findElement(By.cssSelector("select[name=size]"))).selectByValue("1024x1024");
    assertThat(browser.findElement(By.id("size-error")).getText()).isEmpty();

    // stream with partial images: a partial shows before the final image
    n.clear();
    n.sendKeys("1");
    browser.findElement(By.cssSelector("input[name=stream]")).click();
    WebElement partials = browser.findElement(By.cssSelector("input[name=partial_images]"));
    partials.clear();
    partials.sendKeys("2");
    run();
    waitFinals(1);
    List<String> events = browser.findElements(By.cssSelector("#event-log li")).stream().map(WebElement::getText).toList();
    assertThat(events).containsExactly("image_generation.partial_image 0", "image_generation.partial_image 1",
        "image_generation.completed");
    assertThat(browser.findElements(By.cssSelector("#results .partials img.partial"))).hasSize(2);
    browser.findElement(By.cssSelector("input[name=stream]")).click();

    // draw a mask on an input image and edit: the painted area changes, the rest does not
    Path input = Files.createTempFile("imagegate-input", ".png");
    Files.write(input, TestImages.png(1024, 1024));
    browser.findElement(By.cssSelector("input[type=file][name=image]")).sendKeys(input.toString());
    WebElement mask = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("mask-canvas")));
    new Actions(browser).moveToElement(mask, -mask.getSize().width / 4, -mask.getSize().height / 4).clickAndHold()
        .moveByOffset(40, 0).moveByOffset(40, 30).moveByOffset(0, 40).release().perform();
    long byPointer = painted();
    assertThat(byPointer).isPositive();
    // from the keyboard too: Space paints at the brush, Shift with an arrow paints as it moves
    mask.sendKeys(Keys.SPACE);
    mask.sendKeys(Keys.chord(Keys.SHIFT, Keys.ARROW_RIGHT));
    assertThat(painted()).isGreaterThan(byPointer);
    assertThat(browser.findElement(By.id("run")).getText()).isEqualTo("Edit");
    prompt.clear();
    prompt.sendKeys("make it look like a watercolour");
    shot("playground-mask");
    run();
    waitFinals(1);
    @SuppressWarnings("unchecked")
    Map<String, Object> diff = (Map<String, Object>) browser.executeAsyncScript(COMPARE);
    assertThat((Long) diff.get("painted")).as(diff.toString()).isGreaterThan(2000);
    assertThat(((Number) diff.get("paintedMeanDiff")).doubleValue()).as(diff.toString()).isGreaterThan(8);
    assertThat((Long) diff.get("unpaintedChanged")).as(diff.toString()).isZero();
    browser.manage().window().setSize(new Dimension(1280, 1700)); // the form, the mask and the result in one shot
    browser.executeScript("window.scrollTo(0, 0)");
    shot("playground-edit");
    browser.manage().window().setSize(new Dimension(390, 844));
    shot("playground-phone");
    browser.manage().window().setSize(new Dimension(1280, 800));

    // revoke the key: its next call is refused
    page("keys");
    WebElement revoke = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-revoke='" + keyId + "']")));
    revoke.click();
    assertThat(revoke.getText()).isEqualTo("Confirm revoke");
    revoke.click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("keys-table"), "revoked"));
    Curl refused = curl(secret);
    assertThat(refused.status).isEqualTo(401);
    assertThat(refused.body).contains("revoked");

    // sign out: the session is gone, here and on the server
    browser.findElement(By.id("sign-out")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("admin-key")));
    assertThat(sessionCookie()).isNull();
    assertThat((Long) browser.executeAsyncScript("const done = arguments[0];"
        + "fetch('admin/keys').then(r => done(r.status))")).isEqualTo(401L);

    // nothing was refused by the policy and nothing reached for another host
    List<String> problems = browser.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
        .filter(m -> m.contains("Content Security Policy") || m.contains("ERR_NAME_NOT_RESOLVED")).toList();
    assertThat(problems).isEmpty();
  }

  /** Compares the edit's result with the input pixel by pixel, split by the mask editor's painted area. */
  private static final String COMPARE = """
      const done = arguments[arguments.length - 1];
      const load = src => new Promise(r => { const i = new Image(); i.onload = () => r(i); i.src = src; });
      (async () => {
        const input = await load(document.querySelector('#input-images img').src);
        const result = await load(document.querySelector('#results img[data-final]').src);
        const px = img => { const c = document.createElement('canvas'); c.width = 1024; c.height = 1024;
          const x = c.getContext('2d'); x.drawImage(img, 0, 0); return x.getImageData(0, 0, 1024, 1024).data; };
        const a = px(input), b = px(result);
        const m = document.getElementById('mask-canvas').getContext('2d').getImageData(0, 0, 1024, 1024).data;
        let painted = 0, paintedDiff = 0, unpaintedChanged = 0;
        for (let i = 0; i < a.length; i += 4) {
          const d = Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]);
          if (m[i + 3] > 0) { painted++; paintedDiff += d / 3; } else if (d > 0) unpaintedChanged++;
        }
        done({painted, paintedMeanDiff: painted ? paintedDiff / painted : 0, unpaintedChanged,
          size: result.naturalWidth + 'x' + result.naturalHeight});
      })().catch(e => done({error: String(e)}));
      """;

  /** The session cookie as the browser holds it (all paths), or null. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> sessionCookie() {
    List<Map<String, Object>> cookies = (List<Map<String, Object>>) browser.executeCdpCommand("Storage.getCookies", Map.of())
        .get("cookies");
    return cookies.stream().filter(c -> ConsoleSession.COOKIE.equals(c.get("name"))).findFirst().orElse(null);
  }

  /** Pixels painted on the mask editor now. */
  private static long painted() {
    return (Long) browser.executeScript("const d = document.getElementById('mask-canvas').getContext('2d')"
        + ".getImageData(0, 0, 1024, 1024).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n;");
  }

  private static void page(String name) {
    browser.findElement(By.cssSelector("#nav a[href='#" + name + "']")).click();
    wait.until(d -> name.equals(d.findElement(By.id("page")).getAttribute("data-page")));
  }

  private static void run() {
    wait.until(ExpectedConditions.elementToBeClickable(By.id("run"))).click();
  }

  private static void waitFinals(int count) throws IOException {
    try {
      waitFor(count);
    } catch (org.openqa.selenium.TimeoutException e) {
      shot("failed-" + count);
      throw e;
    }
  }

  private static void waitFor(int count) {
    wait.until(d -> {
      String error = d.findElement(By.id("result-error")).getText();
      if (!error.isEmpty()) throw new AssertionError("the playground said: " + error);
      return d.findElements(By.cssSelector("#results img[data-final]")).size() == count
          && d.findElement(By.id("abort")).getAttribute("disabled") != null;
    });
  }

  @SuppressWarnings("unchecked")
  private static List<Long> naturalWidths() {
    return (List<Long>) browser.executeScript(
        "return [...document.querySelectorAll('#results img[data-final]')].map(i => i.naturalWidth)");
  }

  private static void shot(String name) throws IOException {
    Files.write(SHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    accessible(name);
  }

  /**
   * axe-core (from the npm test dependencies) finds no serious or critical WCAG 2 A/AA violation on the page as
   * it is now: labels, names, contrast, roles, keyboard focus.
   */
  @SuppressWarnings("unchecked")
  private static void accessible(String name) throws IOException {
    browser.executeScript(Files.readString(io.imagegate.testing.NodePackages.DIR.resolve("node_modules/axe-core/axe.min.js")));
    Map<String, Object> result = (Map<String, Object>) browser.executeAsyncScript("const done = arguments[0];"
        + "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
        + ".then(r => done({violations: r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
        + ".map(v => v.id + ': ' + v.help + ' at ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))}))"
        + ".catch(e => done({error: String(e)}))");
    assertThat(result.get("error")).as(name).isNull();
    assertThat((List<String>) result.get("violations")).as("accessibility of " + name).isEmpty();
  }

  private record Curl(int status, String requestId, String body) {}

  private static Curl curl(String key) throws Exception {
    Path headers = Files.createTempFile("curl-headers", ".txt");
    Process p = new ProcessBuilder("curl", "-s", "-D", headers.toString(), "-o", "-", gateway.url("/v1/images/generations"),
        "-H", "Authorization: Bearer " + key, "-H", "Content-Type: application/json",
        "-d", "{\"model\":\"gpt-image-2\",\"prompt\":\"a paper boat\",\"size\":\"1024x1024\",\"quality\":\"low\"}")
        .redirectErrorStream(true).start();
    String body = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String head = Files.readString(headers);
    int status = Integer.parseInt(head.split(" ")[1]);
    String id = head.lines().filter(l -> l.toLowerCase().startsWith("x-request-id:")).map(l -> l.substring(13).trim())
        .findFirst().orElse(null);
    return new Curl(status, id, body.length() > 2000 ? body.substring(0, 2000) : body);
  }
}
