package io.trellis.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.trellis.host.runtime.Actor;
import io.trellis.host.runtime.Fixtures;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through a real host: instances are released after {@code TRELLIS_INSTANCE_IDLE_MS}, while
 * inventory and heartbeats keep reporting the configured count, and a call over NATS after the
 * release is served.
 */
class IdleActorsHostTest {
  @TempDir Path dir;
  final KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);

  static JsonNode inventory(Connection nc, Host host) throws Exception {
    var reply =
        nc.request("wasmbus.ctl.default.get." + host.id() + ".inv", new byte[0])
            .get(10, java.util.concurrent.TimeUnit.SECONDS);
    return Json.MAPPER.readTree(reply.getData());
  }

  static int inventoryCount(Connection nc, Host host, String actor) throws Exception {
    for (JsonNode a : inventory(nc, host).get("actors")) {
      if (a.get("id").asText().equals(actor)) {
        return a.get("instances").size();
      }
    }
    return 0;
  }

  static double liveGauge(Host host) {
    return host.meterRegistry().get("trellis.actor.instances.live").gauge().value();
  }

  static double created(Host host) {
    return host.meterRegistry().get("trellis.actor.instances.spawned").counter().count();
  }

  @Test
  void releasedInstancesStayInInventoryAndHeartbeatsAndServeTheNextCall() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Connection client = nats.connect();
        Host host =
            TestHosts.start(
                nats,
                cluster,
                dir,
                Map.of(
                    "TRELLIS_INSTANCE_IDLE_MS", "300", "TRELLIS_HEARTBEAT_INTERVAL_MS", "300"))) {
      host.actors().start(Fixtures.dist("echo"), "", 4, Map.of());
      String echo = host.actors().running().keySet().iterator().next();
      Actor actor = host.actors().find(echo);
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> actor.liveInstances() == 0);
      assertEquals(0.0, liveGauge(host));
      assertEquals(4, inventoryCount(client, host, echo), "inventory lists the configured count");

      List<JsonNode> seen = EventsTest.record(client, "wasmbus.evt.default");
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !EventsTest.all(seen, "host_heartbeat").isEmpty());
      JsonNode hb = EventsTest.all(seen, "host_heartbeat").getFirst();
      assertEquals(4, hb.get("actors").get(echo).asInt(), "the heartbeat counts 4: " + hb);

      double created = created(host);
      FakeProvider http = new FakeProvider(client, "default", cluster, Contracts.HTTP_SERVER);
      var r =
          http.call(echo, HttpRequest.OPERATION, LatticeHostTest.request("/after", new byte[0]));
      assertNull(r.error(), r.error());
      // (the count of creations, not the live gauge: the instance may already be released again)
      assertEquals(created + 1, created(host), "the call created one instance");
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> actor.liveInstances() == 0);

      host.actors().scale(echo, 2, Map.of());
      assertEquals(2, inventoryCount(client, host, echo));
      host.actors().stop(echo, 0, Map.of());
      assertEquals(0, inventoryCount(client, host, echo));
      assertEquals(0.0, liveGauge(host), "no instance is left after stop");
    }
  }
}
