package io.imagegate.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium, headless, driven by Selenium through Debian's chromedriver (nothing downloaded; the two
 * packages keep the same version), with a fresh profile, a 1280x800 window, the browser's console log kept, and
 * every host but 127.0.0.1 unresolvable: a page that reaches for another site fails instead.
 */
public final class HeadlessChromium {
  public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  public static final Path BROWSER = Path.of("/usr/bin/chromium");

  private HeadlessChromium() {}

  public static ChromeDriver start() {
    ChromeOptions options = new ChromeOptions().setBinary(BROWSER.toString());
    try {
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
          "--window-size=1280,800", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
          "--user-data-dir=" + Files.createTempDirectory("imagegate-chromium"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER.toString()))
        .usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }
}
