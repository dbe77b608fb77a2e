package io.trellis.host.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.testkit.NatsServer;
import io.trellis.testkit.NatsServerOptions;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rpc and ctl connections authenticate with their own nkey seeds against a locked-down server.
 */
class NatsAuthTest {
  @TempDir Path dir;

  @Test
  void hostConnectsWithSeparateNkeyCredentialsAndFailsClearlyWithout() throws Exception {
    KeyPair ctlUser = KeyPair.generate(KeyType.USER);
    KeyPair rpcUser = KeyPair.generate(KeyType.USER);
    String auth =
        "authorization { users: [ { nkey: \""
            + ctlUser.publicKey()
            + "\" }, { nkey: \""
            + rpcUser.publicKey()
            + "\" } ] }\n";
    try (NatsServer nats =
        NatsServer.start(NatsServerOptions.builder().extraConfig(auth).build())) {
      KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
      try (Host host =
          TestHosts.start(
              nats,
              cluster,
              dir,
              Map.of("WASMCLOUD_CTL_SEED", ctlUser.seed(), "WASMCLOUD_RPC_SEED", rpcUser.seed()))) {
        assertTrue(host.lattice().isStoreReachable());
        assertEquals(
            io.nats.client.Connection.Status.CONNECTED, host.connections().rpc().getStatus());
        assertEquals(
            io.nats.client.Connection.Status.CONNECTED, host.connections().ctl().getStatus());
      }
      NatsConnectException e =
          assertThrows(NatsConnectException.class, () -> TestHosts.start(nats, cluster, dir));
      assertTrue(
          e.getMessage().contains("cannot connect to NATS at nats://127.0.0.1:" + nats.port()),
          e.getMessage());
      assertTrue(e.getMessage().contains("no credentials"), e.getMessage());
      String stranger = KeyPair.generate(KeyType.USER).seed();
      NatsConnectException wrong =
          assertThrows(
              NatsConnectException.class,
              () -> TestHosts.start(nats, cluster, dir, Map.of("WASMCLOUD_CTL_SEED", stranger)));
      assertTrue(wrong.getMessage().contains("nkey seed"), wrong.getMessage());
      assertFalse(
          wrong.getMessage().contains(stranger.substring(2)), "the seed itself is never printed");
    }
  }
}
