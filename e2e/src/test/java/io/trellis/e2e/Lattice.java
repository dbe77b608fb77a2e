package io.trellis.e2e;

import io.trellis.host.Host;
import io.trellis.host.runtime.Fixtures;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Helpers shared by the end-to-end tests: artifacts, ports, HTTP. */
final class Lattice {
  static final Path DIST = Path.of("..", "capability-providers", "dist");
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Lattice() {}

  static byte[] par(String name) {
    try {
      return Files.readAllBytes(DIST.resolve(name + ".par.gz"));
    } catch (IOException e) {
      throw new IllegalStateException("provider archive " + name + " is missing; build capability-providers first", e);
    }
  }

  static String parRef(String name) {
    return DIST.resolve(name + ".par.gz").toAbsolutePath().toUri().toString();
  }

  static String actor(Host host, String name) {
    host.actors().start(Fixtures.dist(name), "", 1, Map.of());
    return host.actors().running().entrySet().stream()
        .filter(e -> e.getValue().actor().module().name().equals(name)).findFirst().orElseThrow().getKey();
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<String> get(int port, String pathAndQuery) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
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
