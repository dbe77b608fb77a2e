package io.trellis.e2e.dashboard;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, both named explicitly so that
 * Selenium Manager never downloads anything. A fresh profile per instance; one instance per test
 * class. A missing browser is a failure that says how to install it, never a skip.
 */
final class Chromium implements AutoCloseable {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final String BROWSER = "/usr/bin/chromium";
  private static final String DRIVER = "/usr/bin/chromedriver";

  final ChromeDriver driver;
  private final Path profile;

  private Chromium(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  static Chromium start() throws IOException {
    for (String f : List.of(BROWSER, DRIVER)) {
      if (!Files.isExecutable(Path.of(f))) {
        throw new IllegalStateException(
            f
                + " is missing: the browser tests need Debian's chromium and chromium-driver;"
                + " run scripts/setup.sh");
      }
    }
    Path profile = Files.createTempDirectory("trellis-chromium-");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(DRIVER))
            .usingAnyFreePort()
            .build();
    ChromeOptions o = new ChromeOptions();
    o.setBinary(BROWSER);
    o.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + profile,
        "--window-size=1280,720");
    o.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    Chromium c = new Chromium(new ChromeDriver(service, o), profile);
    c.size(1280, 720);
    return c;
  }

  void open(String url) {
    driver.get(url);
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Clicks like a person would: with the element in the middle of the view, clear of the nav. */
  void click(String css) {
    WebElement e = find(css);
    js("arguments[0].scrollIntoView({block: 'center'})", e);
    e.click();
  }

  /**
   * An attribute of the element {@code css} finds; rows are rebuilt as the lattice changes, so a
   * reference that went stale between finding and reading is looked up again.
   */
  String attr(String css, String name) {
    for (int i = 0; ; i++) {
      try {
        return find(css).getDomAttribute(name);
      } catch (StaleElementReferenceException e) {
        if (i == 5) {
          throw e;
        }
      }
    }
  }

  /** The text of the element {@code css} finds, looked up again if it went stale. */
  String text(String css) {
    for (int i = 0; ; i++) {
      try {
        return find(css).getText();
      } catch (StaleElementReferenceException e) {
        if (i == 5) {
          throw e;
        }
      }
    }
  }

  boolean present(String css) {
    return !all(css).isEmpty();
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Makes the page's viewport (not the window around it) width × height CSS pixels. */
  void size(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
    long dw = ((Number) js("return window.outerWidth - window.innerWidth")).longValue();
    long dh = ((Number) js("return window.outerHeight - window.innerHeight")).longValue();
    if (dw > 0 || dh > 0) {
      driver.manage().window().setSize(new Dimension(width + (int) dw, height + (int) dh));
    }
  }

  /** Scrolls the element into view first, then writes the screenshot. */
  Path screenshot(String name, String css) {
    js("document.querySelector(arguments[0]).scrollIntoView({block: 'center'})", css);
    return screenshot(name);
  }

  /**
   * Waits for a condition on the page; on timeout fails with what the page shows and what its
   * console said, which is what one needs to see.
   */
  void await(String what, Duration atMost, Supplier<Boolean> condition) {
    try {
      Awaitility.await(what)
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(50))
          .ignoreExceptions()
          .until(condition::get);
    } catch (ConditionTimeoutException e) {
      screenshot("failed-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
      throw new AssertionError(
          "timed out after "
              + atMost
              + " waiting for: "
              + what
              + "\npage:\n"
              + bodyText()
              + "\nconsole:\n"
              + console(),
          e);
    }
  }

  String bodyText() {
    try {
      return find("body").getText();
    } catch (RuntimeException e) {
      return "(no page: " + e + ")";
    }
  }

  String console() {
    StringBuilder b = new StringBuilder();
    try {
      for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
        b.append(e.getLevel()).append(' ').append(e.getMessage()).append('\n');
      }
    } catch (RuntimeException e) {
      b.append("(no console log: ").append(e).append(")");
    }
    return b.toString();
  }

  /** Writes target/screenshots/NAME.png for people to look at. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path p = SCREENSHOTS.resolve(name + ".png");
      Files.write(p, driver.getScreenshotAs(OutputType.BYTES));
      return p;
    } catch (IOException | RuntimeException e) {
      return SCREENSHOTS.resolve(name + ".png (not written: " + e + ")");
    }
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> s = Files.walk(profile)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }
}
