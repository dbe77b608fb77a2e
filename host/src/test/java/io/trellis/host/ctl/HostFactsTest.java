package io.trellis.host.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.trellis.host.config.HostConfig;
import io.trellis.host.config.HostConfigLoader;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the control-interface handlers learn about their host: the reported facts, no secrets. */
class HostFactsTest {
  @TempDir Path dir;

  @Test
  void factsComeFromTheConfigAndCarryNoKeys() {
    KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
    KeyPair user = KeyPair.generate(KeyType.USER);
    String other = KeyPair.generate(KeyType.CLUSTER).publicKey();
    HostConfig c =
        HostConfigLoader.load(
            Map.of(
                "WASMCLOUD_CLUSTER_SEED", cluster.seed(),
                "WASMCLOUD_CLUSTER_ISSUERS", other,
                "WASMCLOUD_LATTICE_PREFIX", "facts",
                "WASMCLOUD_CTL_TOPIC_PREFIX", "my.ctl",
                "WASMCLOUD_RPC_HOST", "10.0.0.1",
                "WASMCLOUD_RPC_SEED", user.seed(),
                "WASMCLOUD_CTL_HOST", "10.0.0.2",
                "WASMCLOUD_PROV_RPC_HOST", "10.0.0.3",
                "TRELLIS_FRIENDLY_NAME", "facty",
                "HOST_CONFIG", dir.resolve("h.json").toString()),
            null,
            Map.of(),
            dir);
    HostFacts f = HostFacts.of(c, "0.63.2+trellis.test");
    assertEquals(
        new HostFacts(
            c.hostId(),
            "facty",
            "0.63.2+trellis.test",
            cluster.publicKey(),
            List.of(cluster.publicKey(), other),
            "facts",
            "my.ctl",
            null,
            "10.0.0.2",
            "10.0.0.1",
            "10.0.0.3"),
        f);
    String s = f.toString();
    assertFalse(s.contains(cluster.seed()) || s.contains(user.seed()), s);
    assertFalse(s.contains(c.identity().hostKey().seed()), s);
    assertNull(
        HostFacts.of(
                HostConfigLoader.load(
                    Map.of(
                        "WASMCLOUD_JS_DOMAIN",
                        " ",
                        "HOST_CONFIG",
                        dir.resolve("h2.json").toString()),
                    null,
                    Map.of(),
                    dir),
                "v")
            .jsDomain(),
        "a blank domain is no domain");
  }
}
