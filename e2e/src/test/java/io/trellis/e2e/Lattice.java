package io.trellis.e2e;

import io.trellis.host.Host;
import io.trellis.host.runtime.Fixtures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Helpers shared by the end-to-end tests: artifacts, actors, HTTP (ports: testkit's FreePorts). */
final class Lattice {
  static final Path DIST = Path.of("..", "capability-providers", "dist");
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Lattice() {}

  static byte[] par(String name) {
    try {
      return Files.readAllBytes(DIST.resolve(name + ".par.gz"));
    } catch (IOException e) {
      throw new IllegalStateException(
          "provider archive " + name + " is missing; build capability-providers first", e);
    }
  }

  static String parRef(String name) {
    return DIST.resolve(name + ".par.gz").toAbsolutePath().toUri().toString();
  }

  static String actor(Host host, String name) {
    return actor(host, Fixtures.dist(name), name);
  }

  /**
   * Starts one instance of {@code module} and returns the id of the running actor called {@code
   * name}.
   */
  static String actor(Host host, byte[] module, String name) {
    host.actors().start(module, "", 1, Map.of());
    return host.actors().running().entrySet().stream()
        .filter(e -> e.getValue().actor().module().name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no running actor named '" + name + "' after starting it"))
        .getKey();
  }

  static HttpResponse<String> get(int port, String pathAndQuery)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GET that reports failures as a status line instead of throwing, for Awaitility polling. */
  static String tryGet(int port, String pathAndQuery) {
    try {
      HttpResponse<String> r = get(port, pathAndQuery);
      return r.statusCode() + " " + r.body();
    } catch (IOException | InterruptedException e) {
      return "ERR " + e;
    }
  }
}
