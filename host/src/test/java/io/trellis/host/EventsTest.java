package io.trellis.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.trellis.host.runtime.Fixtures;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lattice events and heartbeats, checked field by field against PROTOCOL.md §8.5 (v0.63 shapes).
 */
class EventsTest {
  @TempDir Path dir;

  /**
   * Every JSON message on the subjects from now on, in arrival order (one dispatcher, one thread).
   */
  static List<JsonNode> record(Connection watcher, String... subjects) throws Exception {
    List<JsonNode> seen = new CopyOnWriteArrayList<>();
    var d =
        watcher.createDispatcher(
            m -> {
              try {
                seen.add(Json.MAPPER.readTree(m.getData()));
              } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
              }
            });
    for (String subject : subjects) {
      d.subscribe(subject);
    }
    watcher.flush(Duration.ofSeconds(2));
    return seen;
  }

  static void fields(JsonNode n, String... names) {
    assertEquals(Set.of(names), fieldNames(n), "fields of " + n);
  }

  static Set<String> fieldNames(JsonNode n) {
    Set<String> s = new java.util.TreeSet<>();
    n.fieldNames().forEachRemaining(s::add);
    return s;
  }

  @Test
  void lifecycleEventsHaveTheSpecShapes() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Connection watcher = nats.connect()) {
      List<JsonNode> seen = record(watcher, "wasmbus.evt.default");
      Host host =
          TestHosts.start(
              nats,
              KeyPair.generate(KeyType.CLUSTER),
              dir,
              Map.of("HOST_region", "eu", "TRELLIS_HEARTBEAT_INTERVAL_MS", "600000"));
      host.actors()
          .start(Fixtures.dist("echo"), "file:///tmp/echo.wasm", 2, Map.of("team", "blue"));
      String echo = host.actors().running().keySet().iterator().next();
      host.actors().stop(echo, 1, Map.of());
      host.stop(Duration.ofSeconds(5));
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> types(seen).contains("host_stopped"));

      for (JsonNode e : seen) {
        fields(e, "specversion", "id", "type", "source", "time", "datacontenttype", "data");
        assertEquals("1.0", e.get("specversion").asText());
        assertEquals("application/json", e.get("datacontenttype").asText());
        assertEquals(host.id(), e.get("source").asText());
        Instant.parse(e.get("time").asText());
        assertTrue(e.get("type").asText().startsWith("com.wasmcloud.lattice."));
      }
      List<String> order = types(seen);
      assertEquals("host_started", order.get(0));
      assertEquals("host_heartbeat", order.get(1), "a heartbeat right after start");
      JsonNode started = data(seen, "host_started");
      fields(started, "labels", "friendly_name", "uptime_seconds", "version");
      assertEquals("eu", started.get("labels").get("region").asText());
      JsonNode hb = data(seen, "host_heartbeat");
      fields(
          hb,
          "actors",
          "providers",
          "labels",
          "friendly_name",
          "version",
          "uptime_seconds",
          "uptime_human",
          // Trellis' additions (PROTOCOL.md §8.5)
          "heartbeat_interval_ms",
          "invocations");
      assertTrue(hb.get("actors").isObject() && hb.get("providers").isArray());
      assertTrue(hb.get("heartbeat_interval_ms").asLong() > 0, hb.toString());

      List<JsonNode> actorStarted = all(seen, "actor_started");
      assertEquals(2, actorStarted.size(), "one actor_started per instance");
      fields(
          actorStarted.get(0),
          "public_key",
          "image_ref",
          "api_version",
          "instance_id",
          "annotations",
          "claims");
      fields(
          actorStarted.get(0).get("claims"),
          "call_alias",
          "caps",
          "issuer",
          "tags",
          "name",
          "version",
          "revision",
          "not_before_human",
          "expires_human");
      assertEquals("blue", actorStarted.get(0).get("annotations").get("team").asText());
      assertEquals("file:///tmp/echo.wasm", actorStarted.get(0).get("image_ref").asText());
      JsonNode actorsStarted = data(seen, "actors_started");
      fields(actorsStarted, "public_key", "image_ref", "annotations", "host_id", "claims", "count");
      assertEquals(2, actorsStarted.get("count").asInt());
      fields(data(seen, "actor_stopped"), "public_key", "instance_id", "annotations");
      JsonNode actorsStopped = all(seen, "actors_stopped").get(0);
      fields(actorsStopped, "host_id", "public_key", "count", "remaining", "annotations");
      assertEquals(1, actorsStopped.get("count").asInt());
      assertEquals(1, actorsStopped.get("remaining").asInt());
      fields(data(seen, "host_stopped"), "labels");
      assertTrue(
          order.indexOf("host_stopped") > order.lastIndexOf("actors_stopped"),
          "actors are reported stopped before the host");
    }
  }

  @Test
  void invocationResultsGoToRpcEventsWhenEnabled() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Connection watcher = nats.connect()) {
      List<JsonNode> seen = record(watcher, "wasmbus.rpcevt.default");
      KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
      try (Host host = TestHosts.start(nats, cluster, dir, Map.of("TRELLIS_RPC_EVENTS", "true"))) {
        host.actors().start(Fixtures.dist("echo"), "", 1, Map.of());
        String echo = host.actors().running().keySet().iterator().next();
        FakeProvider http = new FakeProvider(watcher, "default", cluster, "wasmcloud:httpserver");
        http.call(
            echo,
            "HttpServer.HandleRequest",
            io.trellis.wasmbus.SpecVectors.hex(io.trellis.wasmbus.SpecVectors.ECHO_REQUEST_HEX));
        http.call(echo, "HttpServer.Nope", new byte[] {(byte) 0x80});
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() >= 2);
        JsonNode ok = seen.get(0);
        assertEquals("com.wasmcloud.lattice.invocation_succeeded", ok.get("type").asText());
        fields(ok.get("data"), "source", "dest", "operation", "bytes");
        fields(ok.get("data").get("source"), "public_key", "contract_id", "link_name");
        assertEquals(
            "wasmcloud:httpserver", ok.get("data").get("source").get("contract_id").asText());
        assertTrue(
            ok.get("data").get("dest").get("contract_id").isNull(),
            "dest is an actor: no contract");
        assertEquals(echo, ok.get("data").get("dest").get("public_key").asText());
        assertEquals("com.wasmcloud.lattice.invocation_failed", seen.get(1).get("type").asText());
      }
    }
    try (NatsServer nats = NatsServer.start();
        Connection watcher = nats.connect()) {
      KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
      List<JsonNode> seen = record(watcher, "wasmbus.rpcevt.default", "wasmbus.evt.default");
      try (Host host = TestHosts.start(nats, cluster, dir)) {
        host.actors().start(Fixtures.dist("echo"), "", 1, Map.of());
        String echo = host.actors().running().keySet().iterator().next();
        FakeProvider http = new FakeProvider(watcher, "default", cluster, "wasmcloud:httpserver");
        assertTrue(
            http.call(
                    echo,
                    "HttpServer.HandleRequest",
                    io.trellis.wasmbus.SpecVectors.hex(
                        io.trellis.wasmbus.SpecVectors.ECHO_REQUEST_HEX))
                .isSuccess());
        // events leave the host's ctl connection in order: after this heartbeat, an rpc event would
        // be here
        int beats = all(seen, "host_heartbeat").size();
        host.publishHeartbeat();
        Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> all(seen, "host_heartbeat").size() > beats);
        assertEquals(
            List.of(),
            seen.stream().filter(e -> e.get("type").asText().contains(".invocation_")).toList(),
            "no rpc events by default");
      }
    }
  }

  @Test
  void refmapSetComesOnlyFromTheHostThatWroteIt() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Connection watcher = nats.connect()) {
      List<JsonNode> seen = record(watcher, "wasmbus.evt.default");
      KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
      try (Host a = TestHosts.start(nats, cluster, dir);
          Host b = TestHosts.start(nats, cluster, dir)) {
        a.actors().start(Fixtures.dist("echo"), "file:///srv/echo.wasm", 1, Map.of());
        Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> b.lattice().resolveRef("file:///srv/echo.wasm").isPresent());
        // b's events arrive in order: once its next heartbeat is here, a refmap_set from b would be
        // too
        int beats =
            (int)
                seen.stream()
                    .filter(
                        e ->
                            e.get("source").asText().equals(b.id())
                                && e.get("type").asText().endsWith(".host_heartbeat"))
                    .count();
        b.publishHeartbeat();
        Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    seen.stream()
                            .filter(
                                e ->
                                    e.get("source").asText().equals(b.id())
                                        && e.get("type").asText().endsWith(".host_heartbeat"))
                            .count()
                        > beats);
        Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () -> seen.stream().anyMatch(e -> e.get("type").asText().endsWith(".refmap_set")));
        List<JsonNode> refmaps =
            seen.stream().filter(e -> e.get("type").asText().endsWith(".refmap_set")).toList();
        assertEquals(1, refmaps.size(), "one event per write, not one per host: " + refmaps);
        assertEquals(a.id(), refmaps.get(0).get("source").asText());
        assertEquals("file:///srv/echo.wasm", refmaps.get(0).get("data").get("oci_url").asText());
      }
    }
  }

  static List<String> types(List<JsonNode> seen) {
    return seen.stream()
        .map(e -> e.get("type").asText().substring("com.wasmcloud.lattice.".length()))
        .toList();
  }

  @Test
  void heartbeatsCarryTheIntervalAndEachActorsInvocationCounts() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Connection watcher = nats.connect()) {
      List<JsonNode> seen = record(watcher, "wasmbus.evt.default");
      try (Host host =
          TestHosts.start(
              nats,
              KeyPair.generate(KeyType.CLUSTER),
              dir,
              Map.of("TRELLIS_HEARTBEAT_INTERVAL_MS", "600000"))) {
        host.actors().start(Fixtures.dist("echo"), "", 1, Map.of());
        String echo = host.actors().running().keySet().iterator().next();
        var actor = host.actors().running().get(echo).actor();
        for (int i = 0; i < 3; i++) {
          assertTrue(actor.invoke("Actor.HealthRequest", new byte[] {(byte) 0x80}).isSuccess());
        }
        assertTrue(!actor.invoke("Nope.Nothing", new byte[0]).isSuccess());
        int beats = all(seen, "host_heartbeat").size();
        host.publishHeartbeat();
        Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> all(seen, "host_heartbeat").size() > beats);
        JsonNode hb = all(seen, "host_heartbeat").get(beats);
        assertEquals(600000, hb.get("heartbeat_interval_ms").asLong());
        assertEquals(4, hb.get("invocations").get(echo).get("total").asLong(), hb.toString());
        assertEquals(1, hb.get("invocations").get(echo).get("failed").asLong(), hb.toString());
        assertEquals(1, hb.get("invocations").size(), "only running actors: " + hb);
      }
    }
  }

  static List<JsonNode> all(List<JsonNode> seen, String type) {
    return seen.stream()
        .filter(e -> e.get("type").asText().endsWith("." + type))
        .map(e -> e.get("data"))
        .toList();
  }

  static JsonNode data(List<JsonNode> seen, String type) {
    List<JsonNode> l = all(seen, type);
    assertTrue(!l.isEmpty(), "no " + type + " event among " + types(seen));
    return l.get(0);
  }
}
