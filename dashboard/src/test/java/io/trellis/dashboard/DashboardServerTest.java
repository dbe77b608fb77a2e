package io.trellis.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The page's HTTP server: static files from the jar, the settings, and what it refuses. */
class DashboardServerTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static DashboardAccess access;
  static DashboardServer server;

  @BeforeAll
  static void start() throws IOException {
    access = DashboardAccess.generate("lat1", "wasmbus.ctl", List.of("browser.>"));
    server =
        DashboardServer.start(
            DashboardSettings.of(access, URI.create("ws://127.0.0.1:4223")),
            InetAddress.getLoopbackAddress(),
            0);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(server.url().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesThePageWithAContentSecurityPolicyThatAllowsOnlyItselfAndTheWebsocket()
      throws Exception {
    HttpResponse<String> r = get("/");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("<script type=\"module\" src=\"js/main.js\">"), r.body());
    assertEquals("text/html; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
    String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertTrue(csp.contains("connect-src 'self' ws://127.0.0.1:4223;"), csp);
    assertTrue(csp.contains("script-src 'self';"), csp);
    assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElseThrow());
  }

  @Test
  void servesNatsWsVendoredAtBuildTimeAsAJavaScriptModule() throws Exception {
    HttpResponse<String> r = get("/vendor/nats.ws.js");
    assertEquals(200, r.statusCode());
    assertEquals(
        "text/javascript; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
    assertTrue(r.body().contains("export { connect as connect }"), "nats.ws' ESM build");
    assertFalse(r.body().contains("\nimport "), "self-contained: nothing to fetch elsewhere");
    assertEquals(200, get("/vendor/nats.ws.LICENSE.txt").statusCode());
  }

  @Test
  void everyScriptThePageImportsIsServed() throws Exception {
    for (String js :
        List.of(
            "main.js",
            "api.js",
            "state.js",
            "view.js",
            "panels.js",
            "actions.js",
            "dom.js",
            "msgpack.js")) {
      assertEquals(200, get("/js/" + js).statusCode(), js);
    }
    assertEquals(200, get("/style.css").statusCode());
    assertEquals(200, get("/favicon.svg").statusCode());
  }

  @Test
  void configHandsOutTheReadOnlyAndBrowserPasswordsButNotTheAdminOne() throws Exception {
    HttpResponse<String> r = get("/config.json");
    assertEquals(200, r.statusCode());
    assertEquals("no-store", r.headers().firstValue("Cache-Control").orElseThrow());
    JsonNode c = Json.MAPPER.readTree(r.body());
    assertEquals("ws://127.0.0.1:4223", c.path("ws_url").asText());
    assertEquals("lat1", c.path("lattice").asText());
    assertEquals("wasmbus.ctl", c.path("ctl_prefix").asText());
    assertEquals("dashboard", c.path("read").path("user").asText());
    assertEquals(access.reader().password(), c.path("read").path("password").asText());
    assertEquals("_INBOX.dashboard", c.path("read").path("inbox_prefix").asText());
    assertEquals("dashboard-admin", c.path("admin").path("user").asText());
    assertFalse(c.path("admin").has("password"));
    assertFalse(r.body().contains(access.admin().password()));
    assertEquals("browser", c.path("browser").path("user").asText());
  }

  @Test
  void servesTheBrowserCallExampleAndRedirectsItsDirectory() throws Exception {
    assertEquals(200, get("/examples/browser-call/").statusCode());
    assertEquals(200, get("/examples/browser-call/app.js").statusCode());
    HttpResponse<String> r = get("/examples/browser-call");
    assertEquals(301, r.statusCode());
    assertEquals("/examples/browser-call/", r.headers().firstValue("Location").orElseThrow());
  }

  @Test
  void refusesUnknownFilesOtherMethodsAndForeignHostNames() throws Exception {
    assertEquals(404, get("/nope.js").statusCode());
    HttpResponse<String> post =
        HTTP.send(
            HttpRequest.newBuilder(server.url().resolve("/config.json"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host
    assertTrue(
        raw("GET /config.json HTTP/1.1\r\nHost: evil.example\r\n").startsWith("HTTP/1.1 403"));
    assertTrue(
        raw("GET /config.json HTTP/1.1\r\nHost: localhost:" + server.port() + "\r\n")
            .startsWith("HTTP/1.1 200"));
    assertTrue(
        raw("GET /../pom.xml HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n")
            .startsWith("HTTP/1.1 400"));
  }

  /** A request with exactly these headers (the JDK client sets Host itself). */
  static String raw(String head) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      OutputStream out = s.getOutputStream();
      out.write((head + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aTakenPortIsAnErrorNamingTheAddress() {
    LatticeException e =
        assertThrows(
            LatticeException.class,
            () ->
                DashboardServer.start(
                    DashboardSettings.of(access, URI.create("ws://127.0.0.1:4223")),
                    InetAddress.getLoopbackAddress(),
                    server.port()));
    assertTrue(e.getMessage().contains("127.0.0.1:" + server.port()), e.getMessage());
  }

  @Test
  void aWebsocketUrlMustBeWsOrWss() {
    LatticeException e =
        assertThrows(
            LatticeException.class,
            () ->
                new DashboardSettings(
                    URI.create("http://127.0.0.1:4223"),
                    "default",
                    "wasmbus.ctl",
                    null,
                    null,
                    null));
    assertTrue(e.getMessage().contains("'http://127.0.0.1:4223'"), e.getMessage());
  }
}
