package io.trellis.e2e.dashboard;

import static io.trellis.e2e.dashboard.Chromium.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.cli.up.PidFile;
import io.trellis.cli.up.TrellisHome;
import io.trellis.testkit.FreePorts;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The dashboard as {@code trellis up} serves it, in headless Chromium: what it shows, how fast it
 * follows the lattice, hosts that die without a goodbye, admin actions and the read-only user's
 * refusal, the browser-call example, keyboard use and narrow windows. One lattice and one browser
 * for the class; each test sets up what it looks at.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardUpBrowserTest {
  static final String SUBSCRIBER = "../actors-samples/dist/subscriber.wasm";
  static final String ECHO = "../actors-samples/dist/echo.wasm";
  static final String HASHER = "../actors-samples/dist/hasher.wasm";
  static final String MESSAGING =
      Path.of("..", "capability-providers", "dist", "messaging.par.gz").toString();

  @TempDir static Path home;
  TrellisProcess up;
  Chromium browser;
  Cli cli;
  String url;
  String hostId;
  String subscriber;
  String messaging;
  int natsPort;

  @BeforeAll
  void startLatticeAndBrowser() throws Exception {
    int[] ports = FreePorts.allocate(3);
    natsPort = ports[0];
    up =
        TrellisProcess.start(
            home,
            // heartbeats every 2 s, so invocation counts show up quickly
            Map.of("TRELLIS_HEARTBEAT_INTERVAL_MS", "2000"),
            "up",
            "--nats-port",
            Integer.toString(ports[0]),
            "--nats-ws-port",
            Integer.toString(ports[1]),
            "--dashboard-port",
            Integer.toString(ports[2]),
            "--label",
            "purpose=dashboard-test");
    url = up.awaitOutput("^  dashboard +(http://\\S+)$", seconds(90));
    assertEquals("http://127.0.0.1:" + ports[2] + "/", url);
    JsonNode info =
        Json.MAPPER.readTree(Files.readString(home.resolve(".trellis").resolve("up.json")));
    hostId = info.path("host_id").asText();
    cli = new Cli(natsPort);
    // the actor, provider and link the browser-call example uses, there before the page loads
    subscriber =
        cli.ok("ctl", "start", "actor", SUBSCRIBER, "-o", "json").json().path("actor_id").asText();
    messaging =
        cli.ok("ctl", "start", "provider", MESSAGING, "-o", "json")
            .json()
            .path("provider_id")
            .asText();
    cli.ok(
        "ctl",
        "link",
        "put",
        subscriber,
        messaging,
        "wasmcloud:messaging",
        "SUBSCRIPTION=browser.greet");
    browser = Chromium.start();
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (up != null) {
        up.close();
      }
    }
  }

  /** The dashboard, loaded and subscribed to the lattice's events. */
  void dashboard() {
    if (!browser.driver.getCurrentUrl().equals(url)) {
      browser.open(url);
    }
    browser.await(
        "the page to subscribe",
        seconds(30),
        () -> "subscribed".equals(browser.attr("#status", "data-state")));
  }

  String hostRow(String id) {
    return "#hosts-body tr[data-host-id='" + id + "']";
  }

  String actorRow(String actor) {
    return "#actors-body tr[data-actor-id='" + actor + "'][data-host-id='" + hostId + "']";
  }

  WebElement latestResult() {
    return browser.find("#action-results li:first-child");
  }

  /** Waits for the newest action result to settle and returns it. */
  WebElement settledResult() {
    browser.await(
        "the action's outcome",
        seconds(30),
        () -> !"pending".equals(latestResult().getDomAttribute("data-outcome")));
    return latestResult();
  }

  @Test
  void thePageFromUpsUrlShowsHostsActorsProvidersAndLinks() {
    dashboard();
    browser.await("the host", seconds(15), () -> browser.present(hostRow(hostId)));
    assertEquals("up", browser.attr(hostRow(hostId), "data-state"));
    String host = browser.text(hostRow(hostId));
    assertTrue(host.contains("purpose=dashboard-test"), host);
    assertTrue(host.contains("0.63.2+trellis"), host);

    browser.await("the subscriber actor", seconds(15), () -> browser.present(actorRow(subscriber)));
    assertTrue(browser.text(actorRow(subscriber)).contains("subscriber"));
    String provider = "#providers-body tr[data-provider-id='" + messaging + "']";
    browser.await(
        "the messaging provider, healthy",
        seconds(30),
        () -> "healthy".equals(browser.attr(provider, "data-health")));
    assertTrue(browser.text(provider).contains("wasmcloud:messaging"));
    String link =
        "#links-body tr[data-actor-id='" + subscriber + "'][data-contract='wasmcloud:messaging']";
    browser.await("the link", seconds(15), () -> browser.present(link));
    assertTrue(browser.text(link).contains("SUBSCRIPTION=browser.greet"));
    browser.await(
        "the claims",
        seconds(15),
        () -> browser.present("#claims-body tr[data-subject='" + subscriber + "']"));
    browser.screenshot("dashboard-up");
  }

  @Test
  void anActorStartedFromTheCliAppearsWithinASecond() {
    dashboard();
    JsonNode started = cli.ok("ctl", "start", "actor", ECHO, "-o", "json").json();
    long returned = System.nanoTime();
    String echo = started.path("actor_id").asText();
    try {
      browser.await(
          "echo within a second of the CLI returning",
          Duration.ofSeconds(1),
          () -> browser.present(actorRow(echo)));
      long ms = (System.nanoTime() - returned) / 1_000_000;
      assertTrue(ms <= 1000, "appeared after " + ms + " ms");
      browser.screenshot("actor-started-from-cli", actorRow(echo));
    } finally {
      cli.ok("ctl", "stop", "actor", hostId, echo);
    }
    browser.await("echo gone after its stop", seconds(15), () -> !browser.present(actorRow(echo)));
  }

  @Test
  void aHostKilledWithSigkillTurnsStaleThenDisappears() throws Exception {
    dashboard();
    KeyPair key = KeyPair.generate(KeyType.SERVER);
    TrellisProcess doomed =
        TrellisProcess.start(
            home,
            Map.of(),
            "host",
            "--nats-port",
            Integer.toString(natsPort),
            "--host-seed",
            key.seed(),
            "--heartbeat-interval-ms",
            "500",
            "--friendly-name",
            "doomed-host",
            "--label",
            "fate=sigkill");
    try {
      String row = hostRow(key.publicKey());
      browser.await("the second host", seconds(60), () -> browser.present(row));
      assertEquals("up", browser.attr(row, "data-state"));
      doomed.kill();
      long killed = System.nanoTime();
      browser.await(
          "the killed host to turn stale",
          seconds(10),
          () -> "stale".equals(browser.attr(row, "data-state")));
      browser.screenshot("host-stale", row);
      long staleAfter = (System.nanoTime() - killed) / 1_000_000;
      browser.await("the killed host to be dropped", seconds(15), () -> !browser.present(row));
      // 500 ms heartbeats: stale after 2.5 missed beats, dropped after 5
      assertTrue(
          staleAfter >= 700, "stale only after missed heartbeats, was " + staleAfter + " ms");
      // the host that is still alive stays, and stays up
      assertEquals("up", browser.attr(hostRow(hostId), "data-state"));
      assertTrue(browser.text("#events-list").contains("host_dropped"));
    } finally {
      doomed.close();
    }
  }

  @Test
  void thePageReconnectsWhenUpRestartsItsNatsServer() throws Exception {
    dashboard();
    ProcessHandle nats =
        PidFile.live(new TrellisHome(home.resolve(".trellis")).natsPid())
            .orElseThrow(() -> new AssertionError("trellis up runs no nats-server"));
    nats.destroyForcibly();
    // up's supervisor starts it again on the same port and config (same users and passwords)
    browser.await(
        "the page to notice",
        seconds(30),
        () -> !"subscribed".equals(browser.attr("#status", "data-state")) || !nats.isAlive());
    browser.await(
        "the page to be back",
        seconds(60),
        () ->
            "subscribed".equals(browser.attr("#status", "data-state"))
                && PidFile.live(new TrellisHome(home.resolve(".trellis")).natsPid())
                    .map(p -> p.pid() != nats.pid())
                    .orElse(false));
    assertEquals("up", browser.attr(hostRow(hostId), "data-state"));
    // and it still follows the lattice
    String echo = Cli.local("claims", "inspect", ECHO, "-o", "json").json().path("module").asText();
    try {
      cli.ok("ctl", "start", "actor", ECHO, "--wait-timeout-ms", "60000");
      browser.await("echo after the restart", seconds(15), () -> browser.present(actorRow(echo)));
    } finally {
      if (instances(echo) > 0) {
        cli.ok("ctl", "stop", "actor", hostId, echo);
      }
    }
  }

  @Test
  void theReadOnlyUsersActionIsRefusedAndNothingChanges() {
    dashboard();
    signOutIfSignedIn();
    browser.await("the subscriber actor", seconds(15), () -> browser.present(actorRow(subscriber)));
    browser.click(actorRow(subscriber) + " button[data-action='stop-actor']");
    WebElement result = settledResult();
    assertEquals("refused", result.getDomAttribute("data-outcome"), result.getText());
    assertTrue(
        result
            .getText()
            .contains(
                "Refused: NATS does not let the read-only user (dashboard)"
                    + " publish to wasmbus.ctl.default.cmd."
                    + hostId
                    + ".sa"),
        result.getText());
    browser.screenshot("read-only-refused", "#activity");
    // positive control: the actor still runs, in the lattice and on the page
    JsonNode inv = cli.ok("ctl", "get", "inventory", hostId, "-o", "json").json();
    assertTrue(inv.toString().contains(subscriber), inv.toString());
    assertTrue(browser.present(actorRow(subscriber)));
  }

  @Test
  void anAdminActionTakesEffectInTheLattice() throws Exception {
    dashboard();
    String echo =
        cli.ok("ctl", "start", "actor", ECHO, "-o", "json").json().path("actor_id").asText();
    try {
      signIn();
      browser.await("echo", seconds(15), () -> browser.present(actorRow(echo)));
      WebElement count = browser.find(actorRow(echo) + " input.count");
      count.clear();
      count.sendKeys("2");
      browser.click(actorRow(echo) + " button[data-action='scale-actor']");
      WebElement result = settledResult();
      assertEquals("ok", result.getDomAttribute("data-outcome"), result.getText());
      assertTrue(result.getText().contains("accepted: scaling"), result.getText());
      browser.await("two echo instances in the lattice", seconds(30), () -> instances(echo) == 2);
      browser.await(
          "two echo instances on the page",
          seconds(15),
          () -> "2".equals(browser.attr(actorRow(echo), "data-instances")));
      browser.screenshot("admin-scaled", actorRow(echo));

      browser.click(actorRow(echo) + " button[data-action='stop-actor']");
      assertEquals("ok", settledResult().getDomAttribute("data-outcome"));
      browser.await("echo stopped in the lattice", seconds(30), () -> instances(echo) == 0);
      browser.await("echo gone from the page", seconds(15), () -> !browser.present(actorRow(echo)));
    } finally {
      signOutIfSignedIn();
      if (instances(echo) > 0) {
        cli.ok("ctl", "stop", "actor", hostId, echo);
      }
    }
  }

  @Test
  void adminFormsStartActorsAndProvidersByAuctionAndPutAndDeleteLinks() throws Exception {
    dashboard();
    String echo = Cli.local("claims", "inspect", ECHO, "-o", "json").json().path("module").asText();
    String provider = null;
    try {
      signIn();
      // an auction nobody can win is refused in words
      type("#start-actor-ref", Path.of(ECHO).toAbsolutePath().toUri().toString());
      type("#start-actor-constraints", "purpose=nowhere");
      browser.click("#start-actor button[type=submit]");
      WebElement result = settledResult();
      assertEquals("rejected", result.getDomAttribute("data-outcome"), result.getText());
      assertTrue(
          result.getText().contains("No host bid for")
              && result.getText().contains("with constraints purpose=nowhere"),
          result.getText());
      // one this host wins
      type("#start-actor-constraints", "purpose=dashboard-test");
      type("#start-actor-count", "2");
      browser.click("#start-actor button[type=submit]");
      result = settledResult();
      assertEquals("ok", result.getDomAttribute("data-outcome"), result.getText());
      assertTrue(result.getText().contains("accepted: starting 2 instance(s)"), result.getText());
      String echoId = echo;
      browser.await(
          "two echo instances on the page",
          seconds(30),
          () ->
              browser.present(actorRow(echoId))
                  && "2".equals(browser.attr(actorRow(echoId), "data-instances")));
      assertEquals(2, instances(echo));

      // a provider on a chosen host, then stopped from its row
      String httpclient =
          Path.of("..", "capability-providers", "dist", "httpclient.par.gz")
              .toAbsolutePath()
              .toUri()
              .toString();
      type("#start-provider-ref", httpclient);
      browser.js(
          "const s = document.getElementById('start-provider-host'); s.value = arguments[0];"
              + " s.dispatchEvent(new Event('change'))",
          hostId);
      browser.click("#start-provider button[type=submit]");
      result = settledResult();
      assertEquals("ok", result.getDomAttribute("data-outcome"), result.getText());
      provider =
          Cli.local("par", "inspect", Path.of(URI.create(httpclient)).toString(), "-o", "json")
              .json()
              .path("service")
              .asText();
      String row = "#providers-body tr[data-provider-id='" + provider + "']";
      browser.await("the httpclient provider", seconds(60), () -> browser.present(row));

      // a link put from the form, shown, in the lattice, then deleted from its row
      type("#put-link-actor", echo);
      type("#put-link-provider", provider);
      type("#put-link-contract", "wasmcloud:httpclient");
      type("#put-link-values", "TIMEOUT_MS=1500");
      browser.click("#put-link button[type=submit]");
      assertEquals("ok", settledResult().getDomAttribute("data-outcome"));
      String link =
          "#links-body tr[data-actor-id='" + echo + "'][data-contract='wasmcloud:httpclient']";
      browser.await("the new link", seconds(15), () -> browser.present(link));
      assertTrue(cli.ok("ctl", "get", "links", "-o", "json").out().contains("TIMEOUT_MS"));
      browser.click(link + " button[data-action='delete-link']");
      assertEquals("ok", settledResult().getDomAttribute("data-outcome"));
      browser.await("the link gone", seconds(15), () -> !browser.present(link));
      assertTrue(!cli.ok("ctl", "get", "links", "-o", "json").out().contains("TIMEOUT_MS"));

      browser.click(row + " button[data-action='stop-provider']");
      assertEquals("ok", settledResult().getDomAttribute("data-outcome"));
      browser.await("the provider gone", seconds(30), () -> !browser.present(row));
      provider = null;
    } finally {
      signOutIfSignedIn();
      if (instances(echo) > 0) {
        cli.ok("ctl", "stop", "actor", hostId, echo);
      }
      if (provider != null) {
        cli.run("ctl", "stop", "provider", hostId, provider, "default", "wasmcloud:httpclient");
      }
    }
  }

  @Test
  void anAppStoredAndDeployedFromThePageIsReconciledByTheRealAppManagerInUpsHost()
      throws Exception {
    String row = "#apps-body tr[data-app='hashes']";
    String hasher =
        Cli.local("claims", "inspect", HASHER, "-o", "json").json().path("module").asText();
    dashboard();
    try {
      signIn();
      type(
          "#put-app-manifest",
          """
          {"apiVersion": "core.oam.dev/v1beta1", "kind": "Application", "metadata": {"name":
           "hashes", "annotations": {"version": "v1"}}, "spec": {"components": [{"name": "hasher",
           "type": "actor", "properties": {"image": "%s"}, "traits": [{"type": "spreadscaler",
           "properties": {"replicas": 2}}]}]}}"""
              .formatted(Path.of(HASHER).toAbsolutePath().toUri()));
      browser.click("#put-app button[type=submit]");
      assertEquals("ok", settledResult().getDomAttribute("data-outcome"), latestResult().getText());
      browser.await("the stored app", seconds(15), () -> browser.present(row));
      browser.click(row + " button[data-action='deploy-app']");
      assertEquals("ok", settledResult().getDomAttribute("data-outcome"), latestResult().getText());
      browser.await(
          "deployed", seconds(60), () -> "deployed".equals(browser.attr(row, "data-status")));
      browser.click(row + " details summary");
      assertEquals("deployed", browser.attr(row + " li[data-component='hasher']", "data-status"));
      assertEquals(2, instances(hasher), "the reconciler really started two instances");
      browser.click(row + " button[data-action='undeploy-app']");
      assertEquals("ok", settledResult().getDomAttribute("data-outcome"), latestResult().getText());
      browser.await(
          "undeployed", seconds(30), () -> "undeployed".equals(browser.attr(row, "data-status")));
      browser.await("the instances stopped", seconds(30), () -> instances(hasher) == 0);
    } finally {
      signOutIfSignedIn();
      cli.run("app", "delete", "hashes", "--all");
    }
  }

  void type(String css, String text) {
    WebElement e = browser.find(css);
    e.clear();
    e.sendKeys(text);
  }

  int instances(String actor) {
    for (JsonNode a :
        cli.ok("ctl", "get", "inventory", hostId, "-o", "json").json().path("actors")) {
      if (a.path("id").asText().equals(actor)) {
        return a.path("instances").size();
      }
    }
    return 0;
  }

  void signIn() throws Exception {
    String password =
        Files.readString(home.resolve(".trellis").resolve("dashboard-admin.password")).strip();
    WebElement field = browser.find("#admin-password");
    field.sendKeys(password);
    field.sendKeys(Keys.ENTER);
    browser.await(
        "the admin sign-in",
        seconds(15),
        () -> "admin".equals(browser.attr("#admin-state", "data-state")));
  }

  void signOutIfSignedIn() {
    if ("admin".equals(browser.attr("#admin-state", "data-state"))) {
      browser.click("#admin-sign-out");
      browser.await(
          "the sign-out",
          seconds(10),
          () -> "read-only".equals(browser.attr("#admin-state", "data-state")));
    }
  }

  @Test
  void theBrowserCallExampleGetsItsReplyFromTheActor() {
    browser.open(url + "examples/browser-call/");
    browser.await(
        "the example to connect",
        seconds(30),
        () -> "connected".equals(browser.attr("#status", "data-state")));
    WebElement message = browser.find("#message");
    message.clear();
    message.sendKeys("hello from a test");
    browser.click("#send");
    browser.await(
        "the actor's reply",
        seconds(30),
        () -> !"waiting".equals(browser.attr("#reply", "data-state")));
    assertEquals("ok", browser.attr("#reply", "data-state"), browser.text("#reply"));
    assertEquals("reply: hello from a test", browser.text("#reply"));
    browser.screenshot("browser-call");

    // the invocation is counted by the host and shown with the actor (heartbeats every 2 s here)
    dashboard();
    browser.await(
        "the subscriber's invocation count",
        seconds(30),
        () -> !"—".equals(browser.text(actorRow(subscriber) + " td[data-label='Calls/min']")));
    assertEquals("0", browser.text(actorRow(subscriber) + " td[data-label='Errors']"));
  }

  @Test
  void theEventStreamCanBeFiltered() {
    dashboard();
    browser.await("some events", seconds(15), () -> browser.all("#events-list li").size() > 1);
    WebElement filter = browser.find("#events-filter");
    filter.clear();
    filter.sendKeys("heartbeat");
    browser.await(
        "only heartbeats",
        seconds(10),
        () -> {
          List<WebElement> items = browser.all("#events-list li");
          return !items.isEmpty()
              && items.stream()
                  .allMatch(li -> li.getDomAttribute("data-type").endsWith("host_heartbeat"));
        });
    filter.clear();
    filter.sendKeys(Keys.BACK_SPACE);
    browser.js("document.getElementById('events-filter').dispatchEvent(new Event('input'))");
    browser.js(
        "const s = document.getElementById('events-group'); s.value = 'link';"
            + " s.dispatchEvent(new Event('change'))");
    browser.await(
        "only link events",
        seconds(10),
        () ->
            browser.all("#events-list li").stream()
                .allMatch(li -> li.getDomAttribute("data-type").contains("linkdef")));
    browser.js(
        "const s = document.getElementById('events-group'); s.value = '';"
            + " s.dispatchEvent(new Event('change'))");
  }

  @Test
  void usableWithTheKeyboardAndReadableAt1280x720AndNarrow() throws Exception {
    browser.size(1280, 720);
    browser.open(url);
    dashboard();
    // every control has a name a screen reader can say
    Object unnamed =
        browser.js(
            "return [...document.querySelectorAll('input, select, textarea, button')]"
                + ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')"
                + " && !(e.tagName === 'BUTTON' && e.textContent.trim()))"
                + ".map(e => e.outerHTML.slice(0, 120))");
    assertEquals(List.of(), unnamed);

    // keyboard only: the skip link comes first, then the sign-in field; Enter signs in
    browser.find("body").sendKeys(Keys.TAB);
    assertEquals("skip", browser.driver.switchTo().activeElement().getDomAttribute("class"));
    browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
    assertEquals("admin-password", browser.driver.switchTo().activeElement().getDomAttribute("id"));
    String password =
        Files.readString(home.resolve(".trellis").resolve("dashboard-admin.password")).strip();
    browser.driver.switchTo().activeElement().sendKeys(password, Keys.ENTER);
    browser.await(
        "the keyboard sign-in",
        seconds(15),
        () -> "admin".equals(browser.attr("#admin-state", "data-state")));
    signOutIfSignedIn();

    browser.await("the host", seconds(15), () -> browser.present(hostRow(hostId)));
    assertEquals(
        Boolean.TRUE,
        browser.js("return document.documentElement.scrollWidth <= window.innerWidth"),
        "no sideways scrolling at 1280x720");
    browser.screenshot("dashboard-1280x720");

    browser.size(390, 844);
    browser.await(
        "the narrow layout",
        seconds(10),
        () ->
            "block"
                .equals(
                    browser.js(
                        "return getComputedStyle(document.querySelector('#hosts-body tr')).display")));
    assertEquals(
        Boolean.TRUE,
        browser.js("return document.documentElement.scrollWidth <= window.innerWidth"),
        "no sideways scrolling when narrow");
    browser.screenshot("dashboard-narrow");
    browser.size(1280, 720);
  }
}
