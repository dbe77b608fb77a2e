package io.trellis.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.oci.OciReference;
import io.trellis.oci.RegistryCredentials;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.settings.BooleanSetting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.HashMap;
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
    assertEquals("default", c.lattice().prefix());
    assertEquals("nats://127.0.0.1:4222", c.nats().rpc().url());
    assertEquals("nats://127.0.0.1:4222", c.nats().ctl().url());
    assertEquals(Duration.ofMillis(2000), c.timings().rpcTimeout());
    assertEquals("wasmbus.ctl", c.lattice().ctlTopicPrefix());
    assertEquals(Duration.ofSeconds(30), c.timings().heartbeatInterval());
    assertTrue(c.cluster().seedGenerated());
    assertEquals(List.of(c.cluster().publicKey()), c.cluster().issuers());
    assertTrue(c.hostId().startsWith("N"));
    assertEquals(0, c.observability().metricsPort());
    assertFalse(c.identity().friendlyName().isBlank());
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
    assertEquals("fromflag", c.lattice().prefix());
    assertEquals(6000, c.nats().rpc().port());
    assertEquals("10.0.0.1", c.nats().ctl().host());
    assertEquals("a", c.identity().labels().get("zone"));
  }

  @Test
  void dotEnvIsTheLowestLayer() throws Exception {
    Files.writeString(
        dir.resolve(".env"),
        "# comment\nWASMCLOUD_LATTICE_PREFIX=\"dotenv\"\nexport HOST_region=us\n");
    assertEquals("dotenv", load(Map.of(), null, Map.of()).lattice().prefix());
    assertEquals("us", load(Map.of(), null, Map.of()).identity().labels().get("region"));
    assertEquals(
        "env", load(Map.of("WASMCLOUD_LATTICE_PREFIX", "env"), null, Map.of()).lattice().prefix());
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
    assertEquals("eu", c.identity().labels().get("region"));
    assertEquals(
        Labels.os(),
        c.identity().labels().get("hostcore.os"),
        "built-in labels override env labels");
    assertEquals(Labels.arch(), c.identity().labels().get("hostcore.arch"));
    assertFalse(
        c.identity().labels().get("hostcore.arch").equals("amd64"),
        "Java's amd64 is reported as x86_64");
    assertEquals("unix", c.identity().labels().get("hostcore.osfamily"));
    assertFalse(
        c.identity().labels().containsKey("config"), "HOST_CONFIG names a file, not a label");
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
    assertFalse(c.cluster().seedGenerated());
    assertEquals(cluster.publicKey(), c.cluster().publicKey());
    assertEquals(List.of(cluster.publicKey(), other), c.cluster().issuers());
    HostConfig adhoc = load(Map.of("WASMCLOUD_CLUSTER_ISSUERS", other), null, Map.of());
    assertEquals(
        List.of(adhoc.cluster().publicKey()),
        adhoc.cluster().issuers(),
        "as wasmCloud: ad hoc cluster trusts only itself");
  }

  @Test
  void latticeReplicasDefaultToOneAndAreBounded() {
    assertEquals(1, load(Map.of(), null, Map.of()).lattice().replicas());
    assertEquals(
        3, load(Map.of("TRELLIS_LATTICE_REPLICAS", "3"), null, Map.of()).lattice().replicas());
    InvalidHostConfigException six =
        assertThrows(
            InvalidHostConfigException.class,
            () -> load(Map.of("TRELLIS_LATTICE_REPLICAS", "6"), null, Map.of()));
    assertTrue(six.getMessage().contains("lattice_replicas"), six.getMessage());
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
    assertFalse(
        load(Map.of("TRELLIS_RPC_EVENTS", "off"), null, Map.of()).observability().rpcEvents());
    assertTrue(
        load(Map.of("TRELLIS_RPC_EVENTS", "Yes"), null, Map.of()).observability().rpcEvents());
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
                "hub",
                "WASMCLOUD_ALLOW_FILE_LOAD",
                "on",
                "WASMCLOUD_OCI_ALLOWED_INSECURE",
                "r1,r2",
                "WASMCLOUD_POLICY_TOPIC",
                "pol",
                "WASMCLOUD_PROV_SHUTDOWN_DELAY_MS",
                "123"),
            null,
            Map.of());
    HostConfigWriter.write(first);
    assertEquals(
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(out));
    String json = Files.readString(out);
    assertFalse(json.contains("host_seed"), "the host seed is never written");
    HostConfig second = load(Map.of(), out, Map.of());
    assertEquals("shared", second.lattice().prefix());
    assertEquals(first.cluster().publicKey(), second.cluster().publicKey());
    assertFalse(second.cluster().seedGenerated());
    assertEquals("hub", second.lattice().jsDomain());
    assertEquals(first.lattice(), second.lattice());
    assertEquals(first.cluster().issuers(), second.cluster().issuers());
    assertEquals(first.nats(), second.nats());
    assertEquals(first.timings().rpcTimeout(), second.timings().rpcTimeout());
    assertEquals(first.artifacts(), second.artifacts());
    assertEquals(first.compatibility(), second.compatibility());
    assertEquals(first.services(), second.services());
    assertTrue(!second.hostId().equals(first.hostId()), "each host keeps its own identity");
  }

  @Test
  void theCurrentLogLevelVariableBeatsItsDeprecatedAlias() {
    for (int i = 0; i < 5; i++) {
      Map<String, String> env = new HashMap<>();
      env.put("WASMCLOUD_STRUCTURED_LOG_LEVEL", "warn");
      env.put("WASMCLOUD_LOG_LEVEL", "debug");
      env.put("UNRELATED_" + i, "x");
      assertEquals("debug", load(env, null, Map.of()).observability().logLevel());
    }
    assertEquals(
        "warn",
        load(Map.of("WASMCLOUD_STRUCTURED_LOG_LEVEL", "warn"), null, Map.of())
            .observability()
            .logLevel());
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
    for (Object group : List.of(c.identity(), c.cluster(), c.nats(), c.nats().rpc())) {
      String s = group.toString();
      assertFalse(s.contains(cluster.seed()) || s.contains(user.seed()), s);
      assertFalse(s.contains(c.identity().hostKey().seed()), s);
    }
  }

  @Test
  void everySettingLandsInItsGroup() {
    Map<String, String> env = new HashMap<>();
    env.put("WASMCLOUD_LATTICE_PREFIX", "lp");
    env.put("WASMCLOUD_CTL_TOPIC_PREFIX", "a.b");
    env.put("WASMCLOUD_JS_DOMAIN", "hub");
    env.put("TRELLIS_FRIENDLY_NAME", "fred");
    env.put("HOST_zone", "z1");
    env.put("WASMCLOUD_RPC_PORT", "4001");
    env.put("WASMCLOUD_CTL_PORT", "4002");
    env.put("WASMCLOUD_PROV_RPC_PORT", "4003");
    env.put("WASMCLOUD_RPC_TIMEOUT_MS", "1500");
    env.put("TRELLIS_HEARTBEAT_INTERVAL_MS", "700");
    env.put("TRELLIS_PROVIDER_HEALTH_INTERVAL_MS", "800");
    env.put("TRELLIS_CALL_TIMEOUT_MS", "900");
    env.put("TRELLIS_MAX_MEMORY_PAGES", "100");
    env.put("TRELLIS_INSTANCE_IDLE_MS", "1500");
    env.put("WASMCLOUD_ALLOW_FILE_LOAD", "on");
    env.put("TRELLIS_MAX_ARTIFACT_BYTES", "4096");
    env.put("WASMCLOUD_OCI_ALLOW_LATEST", "yes");
    env.put("WASMCLOUD_OCI_ALLOWED_INSECURE", "r1:5000, r2");
    env.put("TRELLIS_OCI_CACHE_MAX_BYTES", "1000000");
    env.put("TRELLIS_OCI_TIMEOUT_MS", "5000");
    env.put("TRELLIS_HOME", dir.resolve("th").toString());
    env.put("OCI_REGISTRY", "ghcr.io");
    env.put("OCI_REGISTRY_USER", "me");
    env.put("OCI_REGISTRY_PASSWORD", "pw-never-shown");
    env.put("TRELLIS_METRICS_PORT", "9100");
    env.put("TRELLIS_METRICS_BIND", "0.0.0.0");
    env.put("TRELLIS_RPC_EVENTS", "1");
    env.put("WASMCLOUD_STRUCTURED_LOGGING_ENABLED", "on");
    env.put("WASMCLOUD_LOG_LEVEL", "debug");
    env.put("WASMCLOUD_PROV_SHUTDOWN_DELAY_MS", "250");
    env.put("WASMCLOUD_CONFIG_SERVICE", "enabled");
    env.put("WASMCLOUD_ENABLE_IPV6", "TRUE");
    env.put("WASMCLOUD_POLICY_TOPIC", "pol");
    env.put("WASMCLOUD_POLICY_CHANGES_TOPIC", "polc");
    env.put("WASMCLOUD_POLICY_TIMEOUT", "1200");
    env.put("TRELLIS_POLICY_CACHE_MAX", "50");
    env.put("TRELLIS_POLICY_CACHE_TTL_MS", "60000");
    HostConfig c = load(env, null, Map.of());

    assertEquals("fred", c.identity().friendlyName());
    assertEquals("z1", c.identity().labels().get("zone"));
    assertEquals(c.identity().hostKey().publicKey(), c.hostId());
    assertEquals(new HostConfig.Lattice("lp", "a.b", "hub"), c.lattice());
    assertEquals(List.of(4001, 4002, 4003), ports(c.nats()));
    assertEquals(
        new HostConfig.Timings(
            Duration.ofMillis(1500), Duration.ofMillis(700), Duration.ofMillis(800)),
        c.timings());
    assertEquals(
        new HostConfig.Limits(Duration.ofMillis(900), 100, Duration.ofMillis(1500)), c.limits());
    assertEquals(
        new HostConfig.Artifacts(
            true,
            4096,
            true,
            List.of("r1:5000", "r2"),
            dir.resolve("th").resolve("cache").resolve("oci").toAbsolutePath(),
            1_000_000,
            Duration.ofMillis(5000),
            new HostConfig.RegistryLogin(
                "ghcr.io", RegistryCredentials.basic("me", "pw-never-shown"))),
        c.artifacts());
    assertFalse(c.toString().contains("pw-never-shown"), c.toString());
    assertTrue(
        c.artifacts()
            .ociEnvironmentCredentials()
            .lookup(OciReference.parse("ghcr.io/org/echo:1"))
            .isPresent());
    assertEquals(4096, c.artifacts().oci().maxBlobBytes());
    assertTrue(c.artifacts().oci().insecure("r2:443"));
    assertEquals(
        new HostConfig.Observability(9100, "0.0.0.0", true, true, "debug"), c.observability());
    assertEquals(new HostConfig.Compatibility(250, true), c.compatibility());
    assertEquals(
        new HostConfig.Services(
            true,
            new HostConfig.Policy(
                "pol", "polc", Duration.ofMillis(1200), 50, Duration.ofMillis(60_000))),
        c.services());
  }

  @Test
  void policyDefaultsToOffWithABoundedCacheAndTheLatticesOwnChangesTopicWins() {
    HostConfig plain = load(Map.of(), null, Map.of());
    assertEquals(
        new HostConfig.Policy(null, null, Duration.ofSeconds(1), 10_000, Duration.ofMinutes(5)),
        plain.services().policy());
    assertFalse(plain.services().policy().enabled());
    assertFalse(plain.services().configService());

    // OTP's per-lattice override: WASMCLOUD_POLICY_CHANGES_TOPIC_{prefix with - as _}
    HostConfig c =
        load(
            Map.of(
                "WASMCLOUD_LATTICE_PREFIX", "my-lattice",
                "WASMCLOUD_POLICY_TOPIC", "pol",
                "WASMCLOUD_POLICY_CHANGES_TOPIC", "changes.all",
                "WASMCLOUD_POLICY_CHANGES_TOPIC_my_lattice", "changes.mine",
                "WASMCLOUD_POLICY_CHANGES_TOPIC_other", "changes.other"),
            null,
            Map.of());
    assertTrue(c.services().policy().enabled());
    assertEquals("changes.mine", c.services().policy().changesTopic());

    InvalidHostConfigException e =
        assertThrows(
            InvalidHostConfigException.class,
            () -> load(Map.of("TRELLIS_POLICY_CACHE_TTL_MS", "10"), null, Map.of()));
    assertTrue(e.getMessage().contains("policy_cache_ttl_ms"), e.getMessage());
  }

  @Test
  void providersGetNoNatsCredentialsUnlessTheirOwnAreSet() {
    KeyPair user = KeyPair.generate(KeyType.USER);
    HostConfig c =
        load(
            Map.of("WASMCLOUD_RPC_SEED", user.seed(), "WASMCLOUD_RPC_PORT", "4100"),
            null,
            Map.of());
    assertEquals(user.seed(), c.nats().rpc().seed());
    assertEquals("", c.nats().providerRpc().seed(), "the host's rpc seed never reaches providers");
    assertEquals("", c.nats().providerRpc().jwt());
    assertEquals(4100, c.nats().providerRpc().port(), "where to connect still follows rpc_*");

    KeyPair prov = KeyPair.generate(KeyType.USER);
    HostConfig own =
        load(
            Map.of("WASMCLOUD_RPC_SEED", user.seed(), "WASMCLOUD_PROV_RPC_SEED", prov.seed()),
            null,
            Map.of());
    assertEquals(prov.seed(), own.nats().providerRpc().seed());
  }

  private static List<Integer> ports(HostConfig.NatsEndpoints n) {
    return List.of(n.rpc().port(), n.ctl().port(), n.providerRpc().port());
  }

  @Test
  void switchesUseTheSharedParser() {
    Map<String, String> on = Map.of("WASMCLOUD_STRUCTURED_LOGGING_ENABLED", "On");
    assertTrue(load(on, null, Map.of()).observability().structuredLogging());
    assertFalse(load(Map.of(), null, Map.of()).observability().structuredLogging());
    for (String bad : List.of("y", "enable", "2")) {
      InvalidHostConfigException e =
          assertThrows(
              InvalidHostConfigException.class,
              () -> load(Map.of("WASMCLOUD_ENABLE_IPV6", bad), null, Map.of()));
      assertEquals(
          "enable_ipv6 (environment WASMCLOUD_ENABLE_IPV6) '"
              + bad
              + "' is not a boolean (accepted: "
              + BooleanSetting.ACCEPTED
              + ")",
          e.getMessage());
    }
  }
}
