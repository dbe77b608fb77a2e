package io.trellis.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.par.ProviderArchive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crashes, restarts and the start-up link race, with a real provider process. */
class ProviderSupervisionE2ETest {
  @TempDir Path dir;

  @Test
  void aKilledProviderIsRestartedAndGetsItsLinksBack() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Host host =
            TestHosts.start(
                nats,
                KeyPair.generate(KeyType.CLUSTER),
                dir,
                Map.of("TRELLIS_PROVIDER_HEALTH_INTERVAL_MS", "300"))) {
      byte[] par = Lattice.par("httpserver");
      String pk = ProviderArchive.read(par).publicKey();
      String echo = Lattice.actor(host, "echo");
      host.providers().start(par, "", "default", "", Map.of());
      int port = FreePorts.allocate();
      host.lattice()
          .putLink(
              LinkDefinition.of(
                  echo,
                  pk,
                  "default",
                  Contracts.HTTP_SERVER,
                  Map.of("ADDRESS", "127.0.0.1:" + port)));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Lattice.tryGet(port, "/").startsWith("200"));

      Process first = host.providers().process(pk, "default").orElseThrow();
      first.destroyForcibly();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  host.providers()
                      .process(pk, "default")
                      .map(p -> p.pid() != first.pid() && p.isAlive())
                      .orElse(false));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Lattice.tryGet(port, "/again").startsWith("200"));
      var restarts = host.meterRegistry().find("trellis.provider.restarts").counter();
      assertTrue(restarts != null && restarts.count() >= 1, "restarts are counted");
    }
  }

  @Test
  void lifecycleAndHealthEventsArePublished() throws Exception {
    int metricsPort = io.trellis.testkit.FreePorts.allocate();
    try (NatsServer nats = NatsServer.start();
        io.nats.client.Connection watcher = nats.connect();
        Host host =
            TestHosts.start(
                nats,
                KeyPair.generate(KeyType.CLUSTER),
                dir,
                Map.of(
                    "TRELLIS_PROVIDER_HEALTH_INTERVAL_MS",
                    "300",
                    "TRELLIS_METRICS_PORT",
                    Integer.toString(metricsPort)))) {
      java.util.List<com.fasterxml.jackson.databind.JsonNode> events =
          new java.util.concurrent.CopyOnWriteArrayList<>();
      watcher
          .createDispatcher(
              m -> {
                try {
                  events.add(io.trellis.wasmbus.json.Json.MAPPER.readTree(m.getData()));
                } catch (java.io.IOException e) {
                  throw new IllegalStateException(e);
                }
              })
          .subscribe("wasmbus.evt.default");
      watcher.flush(Duration.ofSeconds(2));
      byte[] par = Lattice.par("messaging");
      String pk = ProviderArchive.read(par).publicKey();
      host.providers().start(par, "file:///messaging.par.gz", "default", "", Map.of("team", "x"));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> type(events, "health_check_passed") != null);
      var started = type(events, "provider_started");
      assertTrue(
          started != null && started.get("public_key").asText().equals(pk),
          "provider_started: " + started);
      assertTrue(started.get("annotations").get("team").asText().equals("x"));
      assertTrue(
          started.get("claims").get("tags").isNull(),
          "tags null as OTP sends them (wadm reads a string)");
      var passed = type(events, "health_check_passed");
      assertTrue(
          passed.get("contract_id").asText().equals("wasmcloud:messaging")
              && passed.get("link_name").asText().equals("default"));
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> type(events, "health_check_status") != null);
      // the health an operator scrapes agrees with the events
      String healthy = "trellis_provider_healthy{link_name=\"default\",provider=\"" + pk + "\"}";
      String metrics = scrape(metricsPort);
      assertTrue(metrics.contains(healthy + " 1.0"), metrics);
      host.providers().stop(pk, "default");
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> type(events, "provider_stopped") != null);
      assertTrue(type(events, "provider_stopped").get("reason").asText().equals("normal"));
      assertTrue(host.providers().process(pk, "default").isEmpty());
    }
  }

  static String scrape(int port) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static com.fasterxml.jackson.databind.JsonNode type(
      java.util.List<com.fasterxml.jackson.databind.JsonNode> events, String t) {
    return events.stream()
        .filter(e -> e.get("type").asText().endsWith("." + t))
        .map(e -> e.get("data"))
        .findFirst()
        .orElse(null);
  }

  @Test
  void aLinkPutWhileTheProviderStartsIsNotLost() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Host host = TestHosts.start(nats, KeyPair.generate(KeyType.CLUSTER), dir)) {
      byte[] par = Lattice.par("httpserver");
      String pk = ProviderArchive.read(par).publicKey();
      String echo = Lattice.actor(host, "echo");
      int port = FreePorts.allocate();
      // Start the process and put the link at once: the JVM inside has not subscribed yet, so the
      // forwarded put is lost on the wire; the re-send after the first health check recovers it.
      host.providers().start(par, "", "default", "", Map.of());
      host.lattice()
          .putLink(
              LinkDefinition.of(
                  echo,
                  pk,
                  "default",
                  Contracts.HTTP_SERVER,
                  Map.of("ADDRESS", "127.0.0.1:" + port)));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Lattice.tryGet(port, "/").startsWith("200"));
    }
  }
}
