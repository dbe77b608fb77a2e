package io.trellis.e2e.dashboard;

import static io.trellis.e2e.dashboard.AppManagerStandIn.appStatus;
import static io.trellis.e2e.dashboard.AppManagerStandIn.component;
import static io.trellis.e2e.dashboard.AppManagerStandIn.status;
import static io.trellis.e2e.dashboard.AppManagerStandIn.trait;
import static io.trellis.e2e.dashboard.Chromium.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsServer;
import io.trellis.testkit.NatsServerOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/**
 * {@code trellis dashboard} against another lattice's NATS (an open websocket, no users): the apps
 * view over the wadm-compatible API, with status per component and trait and their reasons, and
 * deploy/undeploy acknowledged in words. The app manager here is a stand-in answering the
 * documented API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardAppsBrowserTest {
  @TempDir static Path home;
  NatsServer nats;
  Connection nc;
  AppManagerStandIn apps;
  TrellisProcess dashboard;
  Chromium browser;
  String url;

  @BeforeAll
  void start() throws Exception {
    int[] ports = FreePorts.allocate(2);
    nats =
        NatsServer.start(
            NatsServerOptions.builder()
                .extraConfig("websocket { listen: \"127.0.0.1:" + ports[0] + "\", no_tls: true }\n")
                .build());
    nc = nats.connect();
    apps = new AppManagerStandIn(nc, "default");
    apps.add(
        new AppManagerStandIn.App(
            "shop",
            "v2",
            "v2",
            appStatus(
                "v2",
                status("failed", "spreadscaler for db failed"),
                List.of(
                    component(
                        "web",
                        "actor",
                        status("deployed", ""),
                        trait("spreadscaler", status("deployed", ""))),
                    component(
                        "db",
                        "capability",
                        status("failed", ""),
                        trait(
                            "spreadscaler",
                            status(
                                "failed",
                                "Could not satisfy spread eu for kv, 0/1 eligible hosts")))))));
    apps.add(
        new AppManagerStandIn.App(
            "blog", "v1", null, appStatus("v1", status("undeployed", ""), List.of())));
    dashboard =
        TrellisProcess.start(
            home,
            Map.of(),
            "dashboard",
            "--nats-ws",
            "ws://127.0.0.1:" + ports[0],
            "--port",
            Integer.toString(ports[1]));
    url = dashboard.awaitOutput(": (http://\\S+)$", seconds(60));
    browser = Chromium.start();
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
      if (dashboard != null) {
        dashboard.close();
      }
    } finally {
      if (apps != null) {
        apps.close();
      }
      if (nc != null) {
        nc.close();
      }
      if (nats != null) {
        nats.close();
      }
    }
  }

  void page() {
    if (!browser.driver.getCurrentUrl().equals(url)) {
      browser.open(url);
    }
    browser.await(
        "the page to subscribe",
        seconds(30),
        () -> "subscribed".equals(browser.attr("#status", "data-state")));
  }

  String appRow(String name) {
    return "#apps-body tr[data-app='" + name + "']";
  }

  @Test
  void appsShowTheirStatusPerComponentAndTraitWithReasons() {
    page();
    browser.await(
        "the shop app with its status",
        seconds(15),
        () -> browser.present(appRow("shop") + " li[data-component='db']"));
    WebElement shop = browser.find(appRow("shop"));
    assertEquals("failed", shop.getDomAttribute("data-status"));
    assertTrue(shop.getText().contains("spreadscaler for db failed"), shop.getText());
    browser.click(appRow("shop") + " details summary");
    WebElement db = browser.find(appRow("shop") + " li[data-component='db']");
    assertEquals("failed", db.getDomAttribute("data-status"));
    WebElement spread =
        browser.find(appRow("shop") + " li[data-component='db'] li[data-trait='spreadscaler']");
    assertEquals("failed", spread.getDomAttribute("data-status"));
    assertTrue(
        spread.getText().contains("Could not satisfy spread eu for kv, 0/1 eligible hosts"),
        spread.getText());
    assertEquals(
        "deployed", browser.attr(appRow("shop") + " li[data-component='web']", "data-status"));
    assertEquals("undeployed", browser.attr(appRow("blog"), "data-status"));
    // no users on this websocket: the page says actions go over its own connection
    assertEquals("open", browser.attr("#admin-state", "data-state"));
    browser.screenshot("apps", "#apps");
  }

  @Test
  void deployAndUndeployShowTheAcknowledgementInWords() {
    page();
    browser.await("the blog app", seconds(15), () -> browser.present(appRow("blog")));
    browser.click(appRow("blog") + " button[data-action='deploy-app']");
    WebElement result = settled();
    assertEquals("ok", result.getDomAttribute("data-outcome"), result.getText());
    assertTrue(
        result.getText().contains("deploy blog: acknowledged — Deployed model blog"),
        result.getText());
    assertTrue(apps.requests.contains("deploy.blog"), apps.requests.toString());
    browser.await(
        "blog reconciling",
        seconds(15),
        () -> "reconciling".equals(browser.attr(appRow("blog"), "data-status")));

    browser.click(appRow("blog") + " button[data-action='undeploy-app']");
    result = settled();
    assertTrue(result.getText().contains("undeploy blog: acknowledged"), result.getText());
    browser.await(
        "blog undeployed",
        seconds(15),
        () -> "undeployed".equals(browser.attr(appRow("blog"), "data-status")));
  }

  @Test
  void aRefusedManifestShowsTheAppManagersReason() {
    page();
    WebElement manifest = browser.find("#put-app-manifest");
    manifest.clear();
    manifest.sendKeys("this is not a manifest");
    browser.click("#put-app button[type=submit]");
    WebElement result = settled();
    assertEquals("rejected", result.getDomAttribute("data-outcome"), result.getText());
    assertTrue(result.getText().contains("manifest is not an OAM Application"), result.getText());
  }

  WebElement settled() {
    browser.await(
        "the action's outcome",
        seconds(30),
        () ->
            !"pending"
                .equals(
                    browser
                        .find("#action-results li:first-child")
                        .getDomAttribute("data-outcome")));
    return browser.find("#action-results li:first-child");
  }
}
