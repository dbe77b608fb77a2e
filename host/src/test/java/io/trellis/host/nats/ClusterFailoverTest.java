package io.trellis.host.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.nats.client.Connection;
import io.trellis.host.FakeProvider;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.host.runtime.Fixtures;
import io.trellis.testkit.NatsCluster;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host configured with one server of a three-server cluster (one host and port, as
 * WASMCLOUD_RPC_HOST/PORT allow) learns the other members from the servers themselves and moves to
 * one of them when its server is SIGKILLed: it keeps serving invocations, with the lattice data on
 * three replicas (TRELLIS_LATTICE_REPLICAS).
 */
class ClusterFailoverTest {
  @TempDir Path dir;
  final KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);

  static byte[] request(String path) {
    return new HttpRequest("GET", path, "", Map.of(), new byte[0]).toMsgPack();
  }

  @Test
  void aHostWhoseServerIsKilledMovesToAnotherMemberAndKeepsServing() throws Exception {
    try (NatsCluster c = NatsCluster.start("failover", 3, true);
        Connection client =
            NatsServer.connect(NatsServer.clientOptionsFor(c.server(2).url()).maxReconnects(-1));
        Host host =
            TestHosts.start(c.server(0), cluster, dir, Map.of("TRELLIS_LATTICE_REPLICAS", "3"))) {
      host.actors().start(Fixtures.dist("echo"), "", 1, Map.of());
      String echo = host.actors().running().keySet().iterator().next();
      FakeProvider http = new FakeProvider(client, "default", cluster, Contracts.HTTP_SERVER);
      assertNull(http.call(echo, HttpRequest.OPERATION, request("/before")).error());
      int killed = c.server(0).port();
      assertEquals(killed, URI.create(host.connections().rpc().getConnectedUrl()).getPort());

      c.server(0).kill();

      Awaitility.await("the host serves again through another member")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(() -> http.call(echo, HttpRequest.OPERATION, request("/after")).error() == null);
      assertNotEquals(killed, URI.create(host.connections().rpc().getConnectedUrl()).getPort());
      assertNotEquals(killed, URI.create(host.connections().ctl().getConnectedUrl()).getPort());
    }
  }
}
