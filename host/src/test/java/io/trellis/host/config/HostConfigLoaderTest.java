package io.trellis.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostConfigLoaderTest {
  @TempDir Path dir;

  HostConfig load(Map<String, String> env, Path file, Map<String, String> flags) {
    return HostConfigLoader.load(env, file, flags, dir);
  }

  @Test
  void defaultsMatchTheSpec() {
    HostConfig c = load(Map.of(), null, Map.of());
    assertEquals("default", c.latticePrefix());
    assertEquals("nats://127.0.0.1:4222", c.rpc().url());
    assertEquals("nats://127.0.0.1:4222", c.ctl().url());
    assertEquals(Duration.ofMillis(2000), c.rpcTimeout());
    assertEquals("wasmbus.ctl", c.ctlTopicPrefix());
    assertEquals(Duration.ofSeconds(30), c.heartbeatInterval());
    assertTrue(c.clusterSeedGenerated());
    assertEquals(List.of(c.clusterPublicKey()), c.clusterIssuers());
    assertTrue(c.hostId().startsWith("N"));
    assertEquals(0, c.metricsPort());
    assertFalse(c.friendlyName().isBlank());
  }

  @Test
  void environmentOverridesTheFileAndFlagsOverrideTheEnvironment() throws Exception {
    Path file = dir.resolve("cfg.json");
    Files.writeString(
        file,
        "{\"lattice_prefix\":\"fromfile\",\"rpc_port\":5000,\"ctl_host\":\"10.0.0.1\","
            + "\"labels\":{\"zone\":\"a\"},\"unknown_thing\":1}");
    HostConfig c =
        load(
            Map.of("WASMCLOUD_RPC_PORT", "6000", "WASMCLOUD_LATTICE_PREFIX", "fromenv"),
            file,
            Map.of("lattice_prefix", "fromflag"));
    assertEquals("fromflag", c.latticePrefix());
    assertEquals(6000, c.rpc().port());
    assertEquals("10.0.0.1", c.ctl().host());
    assertEquals("a", c.labels().get("zone"));
  }

  @Test
  void dotEnvIsTheLowestLayer() throws Exception {
    Files.writeString(
        dir.resolve(".env"),
        "# comment\nWASMCLOUD_LATTICE_PREFIX=\"dotenv\"\nexport HOST_region=us\n");
    assertEquals("dotenv", load(Map.of(), null, Map.of()).latticePrefix());
    assertEquals("us", load(Map.of(), null, Map.of()).labels().get("region"));
    assertEquals(
        "env", load(Map.of("WASMCLOUD_LATTICE_PREFIX", "env"), null, Map.of()).latticePrefix());
  }

  @Test
  void labelsComeFromHostVariablesAndBuiltinsWin() {
    HostConfig c =
        load(
            Map.of(
                "HOST_REGION",
                "eu",
                "HOST_hostcore.os",
                "plan9",
                "HOST_CONFIG",
                dir.resolve("x.json").toString()),
            null,
            Map.of());
    assertEquals("eu", c.labels().get("region"));
    assertEquals(Labels.os(), c.labels().get("hostcore.os"), "built-in labels override env labels");
    assertEquals(Labels.arch(), c.labels().get("hostcore.arch"));
    assertFalse(
        c.labels().get("hostcore.arch").equals("amd64"), "Java's amd64 is reported as x86_64");
    assertEquals("unix", c.labels().get("hostcore.osfamily"));
    assertFalse(c.labels().containsKey("config"), "HOST_CONFIG names a file, not a label");
    assertEquals(dir.resolve("x.json"), c.hostConfigOut());
  }

  @Test
  void configuredClusterSeedKeepsConfiguredIssuers() {
    KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
    String other = KeyPair.generate(KeyType.CLUSTER).publicKey();
    HostConfig c =
        load(
            Map.of("WASMCLOUD_CLUSTER_SEED", cluster.seed(), "WASMCLOUD_CLUSTER_ISSUERS", other),
            null,
            Map.of());
    assertFalse(c.clusterSeedGenerated());
    assertEquals(cluster.publicKey(), c.clusterPublicKey());
    assertEquals(List.of(cluster.publicKey(), other), c.clusterIssuers());
    HostConfig adhoc = load(Map.of("WASMCLOUD_CLUSTER_ISSUERS", other), null, Map.of());
    assertEquals(
        List.of(adhoc.clusterPublicKey()),
        adhoc.clusterIssuers(),
        "as wasmCloud: ad hoc cluster trusts only itself");
  }

  @Test
  void badValuesNameTheSettingAndItsSource() {
    InvalidHostConfigException port =
        assertThrows(
            InvalidHostConfigException.class,
            () -> load(Map.of("WASMCLOUD_RPC_PORT", "eighty"), null, Map.of()));
    assertTrue(
        port.getMessage().contains("rpc_port")
            && port.getMessage().contains("WASMCLOUD_RPC_PORT")
            && port.getMessage().contains("eighty"),
        port.getMessage());
    String accountSeed = KeyPair.generate(KeyType.ACCOUNT).seed();
    InvalidHostConfigException seed =
        assertThrows(
            InvalidHostConfigException.class,
            () -> load(Map.of("WASMCLOUD_CLUSTER_SEED", accountSeed), null, Map.of()));
    assertTrue(
        seed.getMessage().contains("cluster_seed") && seed.getMessage().contains("cluster"),
        seed.getMessage());
    assertFalse(
        seed.getMessage().contains(accountSeed.substring(2)), "a seed must never be echoed");
    assertThrows(
        InvalidHostConfigException.class,
        () -> load(Map.of("WASMCLOUD_CLUSTER_ISSUERS", "Cnope"), null, Map.of()));
    InvalidHostConfigException typo =
        assertThrows(
            InvalidHostConfigException.class,
            () -> load(Map.of("WASMCLOUD_ALLOW_FILE_LOAD", "ture"), null, Map.of()));
    assertTrue(
        typo.getMessage()
            .startsWith(
                "enable_start_from_fs (environment WASMCLOUD_ALLOW_FILE_LOAD) 'ture' is not a boolean"),
        typo.getMessage());
    assertFalse(load(Map.of("TRELLIS_RPC_EVENTS", "off"), null, Map.of()).rpcEvents());
    assertTrue(load(Map.of("TRELLIS_RPC_EVENTS", "Yes"), null, Map.of()).rpcEvents());
    for (String prefix : List.of("a.b.c", "a.", ".b", "a.*", "a .b")) {
      InvalidHostConfigException e =
          assertThrows(
              InvalidHostConfigException.class,
              () -> load(Map.of("WASMCLOUD_CTL_TOPIC_PREFIX", prefix), null, Map.of()),
              prefix);
      assertTrue(e.getMessage().contains("got '" + prefix + "'"), e.getMessage());
    }
    assertThrows(
        InvalidHostConfigException.class,
        () -> load(Map.of(), dir.resolve("missing.json"), Map.of()));
  }

  @Test
  void malformedConfigFileIsNamed() throws Exception {
    Path f = dir.resolve("bad.json");
    Files.writeString(f, "{ not json");
    InvalidHostConfigException e =
        assertThrows(InvalidHostConfigException.class, () -> load(Map.of(), f, Map.of()));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }

  @Test
  void writtenConfigLetsASecondHostJoinTheSameLattice() throws Exception {
    Path out = dir.resolve("out/host_config.json");
    HostConfig first =
        load(
            Map.of(
                "HOST_CONFIG",
                out.toString(),
                "WASMCLOUD_LATTICE_PREFIX",
                "shared",
                "WASMCLOUD_JS_DOMAIN",
                "hub"),
            null,
            Map.of());
    HostConfigWriter.write(first);
    assertEquals(
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(out));
    String json = Files.readString(out);
    assertFalse(json.contains("host_seed"), "the host seed is never written");
    HostConfig second = load(Map.of(), out, Map.of());
    assertEquals("shared", second.latticePrefix());
    assertEquals(first.clusterPublicKey(), second.clusterPublicKey());
    assertFalse(second.clusterSeedGenerated());
    assertEquals("hub", second.jsDomain());
    assertTrue(!second.hostId().equals(first.hostId()), "each host keeps its own identity");
  }

  @Test
  void theCurrentLogLevelVariableBeatsItsDeprecatedAlias() {
    for (int i = 0; i < 5; i++) {
      java.util.Map<String, String> env = new java.util.HashMap<>();
      env.put("WASMCLOUD_STRUCTURED_LOG_LEVEL", "warn");
      env.put("WASMCLOUD_LOG_LEVEL", "debug");
      env.put("UNRELATED_" + i, "x");
      assertEquals("debug", load(env, null, Map.of()).logLevel());
    }
    assertEquals(
        "warn", load(Map.of("WASMCLOUD_STRUCTURED_LOG_LEVEL", "warn"), null, Map.of()).logLevel());
  }

  @Test
  void providersGetHostAndPortWithoutAScheme() {
    assertEquals("10.0.0.5:4222", new NatsEndpoint("10.0.0.5", 4222, "", "", false, "").hostPort());
    assertEquals("[::1]:4222", new NatsEndpoint("::1", 4222, "", "", false, "").hostPort());
    assertEquals(
        "nats.example.com:4333",
        new NatsEndpoint("nats://nats.example.com:4333", 4222, "", "", false, "").hostPort(),
        "an explicit port wins");
    assertEquals(
        "nats.example.com:4222",
        new NatsEndpoint("tls://user:pw@nats.example.com", 4222, "", "", true, "").hostPort());
  }

  @Test
  void toStringNeverLeaksSeeds() {
    KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
    KeyPair user = KeyPair.generate(KeyType.USER);
    HostConfig c =
        load(
            Map.of("WASMCLOUD_CLUSTER_SEED", cluster.seed(), "WASMCLOUD_RPC_SEED", user.seed()),
            null,
            Map.of());
    assertFalse(c.toString().contains(cluster.seed()));
    assertFalse(c.toString().contains(user.seed()));
    assertTrue(c.toString().contains("nkey seed"));
  }
}
