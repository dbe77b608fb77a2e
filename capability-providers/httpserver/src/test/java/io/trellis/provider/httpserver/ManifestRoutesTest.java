package io.trellis.provider.httpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The routes that examples/global-api.yaml declares in its {@code linkdef} values are what this
 * provider accepts: every link value parses, the links of one httpserver component share one
 * address without conflicts, and paths reach the intended component. The manifest is only parsed
 * here; deploying it is the app manager's part (docs/GETTING-STARTED.md).
 */
class ManifestRoutesTest {
  static final Path MANIFEST = Path.of("..", "..", "examples", "global-api.yaml");

  /**
   * One linkdef trait: the actor component it is on and its settings as the provider reads them.
   */
  record Route(String component, ServerSettings settings) {}

  static Map<String, List<Route>> routesByTarget(JsonNode manifest) {
    Map<String, List<Route>> byTarget = new TreeMap<>();
    for (JsonNode c : manifest.at("/spec/components")) {
      for (JsonNode t : c.path("traits")) {
        if (!t.path("type").asText().equals("linkdef")) {
          continue;
        }
        Map<String, String> values = new LinkedHashMap<>();
        t.at("/properties/values")
            .properties()
            .forEach(e -> values.put(e.getKey(), e.getValue().asText()));
        byTarget
            .computeIfAbsent(t.at("/properties/target").asText(), k -> new ArrayList<>())
            .add(new Route(c.path("name").asText(), ServerSettings.from(values)));
      }
    }
    return byTarget;
  }

  /**
   * The component a path reaches on a listener, as RouteTable picks it: the most specific match.
   */
  static @Nullable String serving(List<Route> routes, String path) {
    List<Route> sorted = new ArrayList<>(routes);
    sorted.sort((a, b) -> RoutePattern.specificity(a.settings().route(), b.settings().route()));
    for (Route r : sorted) {
      if (r.settings().route().matches(RoutePattern.segmentsOf(path))) {
        return r.component();
      }
    }
    return null;
  }

  @Test
  void theExampleManifestDeclaresTwoNonConflictingRoutesPerRegion() throws Exception {
    JsonNode manifest = new ObjectMapper(new YAMLFactory()).readTree(MANIFEST.toFile());
    Map<String, JsonNode> capabilities = new TreeMap<>();
    for (JsonNode c : manifest.at("/spec/components")) {
      if (c.path("type").asText().equals("capability")) {
        capabilities.put(c.path("name").asText(), c);
      }
    }
    Map<String, List<Route>> byTarget = routesByTarget(manifest);
    assertEquals(List.of("httpserver-eu", "httpserver-us"), List.copyOf(byTarget.keySet()));
    for (Map.Entry<String, List<Route>> e : byTarget.entrySet()) {
      JsonNode target = capabilities.get(e.getKey());
      assertNotNull(target, "linkdef target " + e.getKey() + " is a capability of the manifest");
      assertEquals("wasmcloud:httpserver", target.at("/properties/contract").asText());
      List<Route> routes = e.getValue();
      assertEquals(2, routes.size(), e.getKey());
      assertEquals(
          1,
          routes.stream().map(r -> r.settings().address()).distinct().count(),
          e.getKey() + ": one address for both routes");
      for (Route a : routes) {
        assertNotNull(a.settings().route(), a + " has a path");
        for (Route b : routes) {
          if (a != b) {
            assertFalse(a.settings().route().conflictsWith(b.settings().route()), a + " vs " + b);
          }
        }
      }
      assertEquals("pages", serving(routes, "/v1/pages"));
      assertEquals("pages", serving(routes, "/v1/pages/7/history"));
      assertEquals("hashes", serving(routes, "/v1/hashes/readme"));
      assertEquals(null, serving(routes, "/v1/hashes/readme/extra"), "404: :name is one segment");
      assertEquals(null, serving(routes, "/v2/pages"), "404");
    }
    List<Route> eu = byTarget.get("httpserver-eu");
    Route hashes = eu.stream().filter(r -> r.component().equals("hashes")).findFirst().get();
    assertEquals(64 * 1024, hashes.settings().maxContentLength(), "per-route body limit");
    assertEquals(5000, hashes.settings().timeout().toMillis(), "per-route timeout");
    Route pages = eu.stream().filter(r -> r.component().equals("pages")).findFirst().get();
    assertEquals(List.of("https://app.example.com"), pages.settings().cors().allowedOrigins());
    assertEquals("127.0.0.1:8090", pages.settings().addressText());
  }
}
