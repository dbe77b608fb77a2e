package io.trellis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.trellis.ctl.CtlClient;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.par.ProviderArchive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault matrix row 2 (docs/RELIABILITY.md), the parts not covered by ProviderSupervisionE2ETest
 * (SIGKILL and restart) and HostKillE2ETest (SIGTERM to a host): a crash loop, a hung provider and
 * a provider that ignores shutdown.
 */
class ProviderFaultsE2ETest {
  @TempDir Path dir;

  static final Map<String, String> FAST =
      Map.of(
          "TRELLIS_PROVIDER_HEALTH_INTERVAL_MS",
          "300",
          "TRELLIS_PROVIDER_RESTART_BACKOFF_MAX_MS",
          "4000",
          "WASMCLOUD_RPC_TIMEOUT_MS",
          "1000");

  /** Every event's type suffix and data, in order. */
  static List<JsonNode> record(Connection watcher) throws Exception {
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    watcher
        .createDispatcher(
            m -> {
              try {
                events.add(Json.MAPPER.readTree(m.getData()));
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            })
        .subscribe("wasmbus.evt.default");
    watcher.flush(Duration.ofSeconds(2));
    return events;
  }

  static List<JsonNode> ofType(List<JsonNode> events, String type) {
    return events.stream()
        .filter(e -> e.get("type").asText().endsWith("." + type))
        .map(e -> e.get("data"))
        .toList();
  }

  static void signal(Process p, String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).start();
    assertEquals(0, kill.waitFor(), "kill -" + name);
  }

  @Test
  void aCrashLoopBacksOffUpToTheCapAndTheHostStaysHealthy() throws Exception {
    // a provider that reads its HostData and exits 3, every time
    byte[] script = "#!/bin/sh\nread line\nexit 3\n".getBytes(StandardCharsets.US_ASCII);
    ProviderArchive par =
        ProviderArchive.builder("trellis:crashy", "crashy", "Trellis")
            .binary("x86_64-linux", script)
            .binary("aarch64-linux", script)
            .sign(KeyPair.generate(KeyType.ACCOUNT), KeyPair.generate(KeyType.SERVICE));
    try (NatsServer nats = NatsServer.start();
        Connection watcher = nats.connect();
        Host host = TestHosts.start(nats, KeyPair.generate(KeyType.CLUSTER), dir, FAST)) {
      List<JsonNode> events = record(watcher);
      host.providers().start(par.toBytes(true), "", "default", "", Map.of());
      Awaitility.await("five crashes")
          .atMost(Duration.ofSeconds(40))
          .until(() -> ofType(events, "provider_stopped").size() >= 5);
      List<JsonNode> stops = ofType(events, "provider_stopped");
      long previous = 0;
      for (int i = 0; i < 5; i++) {
        JsonNode s = stops.get(i);
        assertEquals("exit status 3", s.get("reason").asText(), s.toString());
        assertEquals(i + 1, s.get("restart_count").asInt(), s.toString());
        long delay = s.get("restart_delay_ms").asLong();
        assertTrue(delay >= previous && delay <= 4000, "grows, capped at 4 s: " + stops);
        previous = delay;
      }
      assertEquals(1000, stops.get(0).get("restart_delay_ms").asLong());
      assertEquals(4000, stops.get(4).get("restart_delay_ms").asLong(), "capped: " + stops);
      // the host itself is fine: it answers the control interface and runs actors
      try (CtlClient ctl =
          CtlClient.builder().connection(watcher).timeout(Duration.ofSeconds(5)).build()) {
        assertTrue(
            ctl.pingHosts().stream().anyMatch(h -> h.id().equals(host.id())), "host answers");
      }
      assertFalse(Lattice.actor(host, "echo").isEmpty());
    }
  }

  @Test
  void aLaunchThatHasNotAnsweredYetIsNotKilledAsUnresponsive() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Connection watcher = nats.connect();
        Host host = TestHosts.start(nats, KeyPair.generate(KeyType.CLUSTER), dir, FAST)) {
      List<JsonNode> events = record(watcher);
      byte[] par = Lattice.par("messaging");
      String pk = ProviderArchive.read(par).publicKey();
      host.providers().start(par, "", "default", "", Map.of());
      // stopped before its JVM can answer a check: a start that is merely slow looks like this
      Process slow = host.providers().process(pk, "default").orElseThrow();
      signal(slow, "STOP");
      try {
        assertFalse(host.providers().isHealthy(pk, "default"), "it never answered");
        // after the start-up window every unanswered check is reported: five of them are more
        // than the limit that kills a provider which had answered once (the test above)
        Awaitility.await("unanswered checks after the start-up window")
            .atMost(Duration.ofSeconds(40))
            .until(() -> ofType(events, "health_check_status").size() >= 5);
        assertTrue(
            ofType(events, "provider_stopped").isEmpty(), "not killed: " + events.toString());
        assertTrue(slow.isAlive(), "the slow launch is left to start");
        // once it runs on, it answers and becomes healthy without a restart
        signal(slow, "CONT");
        Awaitility.await("healthy")
            .atMost(Duration.ofSeconds(30))
            .until(() -> host.providers().isHealthy(pk, "default"));
        assertEquals(slow.pid(), host.providers().process(pk, "default").orElseThrow().pid());
      } finally {
        if (slow.isAlive()) {
          slow.destroyForcibly();
        }
      }
    }
  }

  @Test
  void aHungProviderFailsItsChecksIsKilledAndRestarted() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Connection watcher = nats.connect();
        Host host = TestHosts.start(nats, KeyPair.generate(KeyType.CLUSTER), dir, FAST)) {
      List<JsonNode> events = record(watcher);
      byte[] par = Lattice.par("messaging");
      String pk = ProviderArchive.read(par).publicKey();
      host.providers().start(par, "", "default", "", Map.of());
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> host.providers().isHealthy(pk, "default"));
      Process hung = host.providers().process(pk, "default").orElseThrow();
      long stoppedAt = System.nanoTime();
      signal(hung, "STOP");
      try {
        Awaitility.await("health_check_failed")
            .atMost(Duration.ofSeconds(20))
            .until(() -> !ofType(events, "health_check_failed").isEmpty());
        Awaitility.await("killed as unresponsive")
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    ofType(events, "provider_stopped").stream()
                        .anyMatch(e -> e.get("reason").asText().startsWith("unresponsive")));
        assertFalse(hung.isAlive(), "the hung process is gone");
        Awaitility.await("a new process answers")
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    host.providers().isHealthy(pk, "default")
                        && host.providers()
                            .process(pk, "default")
                            .map(p -> p.pid() != hung.pid())
                            .orElse(false));
        System.out.printf(
            "RELIABILITY row 2: hung provider replaced and healthy %d ms after SIGSTOP%n",
            (System.nanoTime() - stoppedAt) / 1_000_000);
      } finally {
        if (hung.isAlive()) {
          hung.destroyForcibly();
        }
      }
    }
  }

  @Test
  void aProviderThatIgnoresShutdownIsKilledAfterTheGracePeriod() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Host host = TestHosts.start(nats, KeyPair.generate(KeyType.CLUSTER), dir, FAST)) {
      byte[] par = Lattice.par("keyvalue");
      String pk = ProviderArchive.read(par).publicKey();
      host.providers().start(par, "", "default", "", Map.of());
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> host.providers().isHealthy(pk, "default"));
      Process deaf = host.providers().process(pk, "default").orElseThrow();
      // stopped: it can neither answer the shutdown request nor act on SIGTERM
      signal(deaf, "STOP");
      long t0 = System.nanoTime();
      host.providers().stop(pk, "default");
      long took = (System.nanoTime() - t0) / 1_000_000;
      assertFalse(deaf.isAlive(), "killed after the grace period");
      // 2 s for the unanswered shutdown request + 3 s grace, then SIGKILL
      assertTrue(took >= 3000 && took < 10_000, "stop took " + took + " ms");
      System.out.printf("RELIABILITY row 2: a deaf provider was killed after %d ms%n", took);
    }
  }
}
