package io.trellis.host.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.host.runtime.Fixtures;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.chunking.ChunkStore;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.rpc.InvocationClient;
import io.trellis.wasmbus.rpc.InvocationResponse;
import io.trellis.wasmbus.rpc.InvocationSigner;
import io.trellis.wasmbus.rpc.WasmCloudEntity;
import io.trellis.wasmbus.subjects.Subjects;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tap (PROTOCOL.md §16.3): copies only under a lease, and none once a lease runs out. */
class InvocationTapTest {
  static final KeyPair CLUSTER = KeyPair.generate(KeyType.CLUSTER);

  @TempDir Path dir;

  @Test
  void copiesFlowOnlyWhileALeaseLasts() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Connection conn = nats.connect();
        Host host = TestHosts.start(nats, CLUSTER, dir)) {
      host.actors().start(Fixtures.dist("echo"), "", 1, Map.of());
      String echo = host.actors().running().keySet().iterator().next();
      WasmCloudEntity actor = WasmCloudEntity.actor(echo);
      InvocationClient client =
          new InvocationClient(
              conn,
              new InvocationSigner(CLUSTER, KeyPair.generate(KeyType.SERVER).publicKey()),
              new ChunkStore(conn, "default", null));
      Subscription copies = conn.subscribe(Subjects.tapEvents("default", echo));
      Runnable call =
          () -> {
            Object r =
                client.invoke(
                    Subjects.actorRpc("default", echo),
                    actor,
                    actor,
                    "HttpServer.HandleRequest",
                    "abcdefghij".getBytes(StandardCharsets.UTF_8),
                    Duration.ofSeconds(5));
            // not an HttpRequest: the guest's error proves the call reached the actor, and is
            // copied too
            assertTrue(
                r instanceof InvocationResponse resp && resp.error().contains("deserialization"),
                String.valueOf(r));
          };

      // a lease for an actor this host does not run gets no answer
      assertNull(
          conn.request(
              Subjects.tapLease("default", KeyPair.generate(KeyType.MODULE).publicKey()),
              new byte[0],
              Duration.ofMillis(500)));

      call.run(); // no lease yet: no copy
      Message ack =
          conn.request(
              Subjects.tapLease("default", echo),
              "{\"max_bytes\":4,\"lease_ms\":300}".getBytes(StandardCharsets.UTF_8),
              Duration.ofSeconds(2));
      assertNotNull(ack);
      assertEquals(host.id(), Json.MAPPER.readTree(ack.getData()).path("host_id").asText());
      long leased = System.nanoTime();
      call.run();
      JsonNode copy = Json.MAPPER.readTree(copies.nextMessage(Duration.ofSeconds(5)).getData());
      assertEquals("in", copy.path("direction").asText());
      assertEquals("HttpServer.HandleRequest", copy.path("operation").asText());
      assertEquals(10, copy.path("request_size").asInt());
      assertEquals("YWJjZA==", copy.path("request").asText()); // "abcd": cut to max_bytes
      assertTrue(copy.path("request_truncated").asBoolean(), copy.toString());
      assertTrue(copy.has("latency_us"), copy.toString());
      assertTrue(copy.path("error").asText().contains("deserialization"), copy.toString());

      // the spy went away: once its lease has run out, calls are not copied any more
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> System.nanoTime() - leased > Duration.ofMillis(400).toNanos());
      call.run();
      // positive control: a fresh lease brings copies back, and the next copy is of this call
      conn.request(
          Subjects.tapLease("default", echo),
          "{\"lease_ms\":5000}".getBytes(StandardCharsets.UTF_8),
          Duration.ofSeconds(2));
      client.invoke(
          Subjects.actorRpc("default", echo),
          actor,
          actor,
          "HttpServer.HandleRequest",
          "second".getBytes(StandardCharsets.UTF_8),
          Duration.ofSeconds(5));
      JsonNode next = Json.MAPPER.readTree(copies.nextMessage(Duration.ofSeconds(5)).getData());
      assertEquals(6, next.path("request_size").asInt(), "the unleased call was copied: " + next);
    }
  }
}
