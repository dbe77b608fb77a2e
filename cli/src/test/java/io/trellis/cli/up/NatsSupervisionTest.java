package io.trellis.cli.up;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.StorageType;
import io.trellis.cli.CliRunner;
import io.trellis.testkit.FreePorts;
import io.trellis.wasmbus.ctl.HostInfo;
import io.trellis.wasmbus.lattice.LatticeKeys;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trellis up} supervises the nats-server it started: killed, it comes back on the same port
 * with the same JetStream store, and the host answers again; {@code trellis down} still stops
 * everything, also while a restart is pending.
 */
class NatsSupervisionTest {
  @TempDir Path home;

  @AfterEach
  void cleanup() {
    try {
      CliRunner.run("down");
    } finally {
      UpLeftovers.kill(home);
      System.clearProperty("trellis.home");
    }
  }

  private TrellisHome up(int port) {
    System.setProperty("trellis.home", home.toString());
    CliRunner.Result up = CliRunner.run("up", "--detached", "--nats-port", Integer.toString(port));
    assertEquals(0, up.exitCode(), up.err() + up.out());
    return new TrellisHome(home);
  }

  private static ProcessHandle liveNats(TrellisHome h) {
    return PidFile.live(h.natsPid()).orElseThrow(() -> new AssertionError("no live nats-server"));
  }

  private static String log(TrellisHome h) throws Exception {
    return Files.readString(h.hostLog());
  }

  @Test
  void aKilledNatsServerComesBackWithItsDataAndTheHostAnswersAgain() throws Exception {
    int port = FreePorts.allocate();
    TrellisHome h = up(port);
    String url = "nats://127.0.0.1:" + port;
    String hostId = UpCommand.readInfo(h).path("host_id").asText();

    // Lattice data written through the host, and a KV value of our own, before the crash.
    KeyPair actor = KeyPair.generate(KeyType.MODULE);
    KeyPair provider = KeyPair.generate(KeyType.SERVICE);
    CliRunner.Result link =
        CliRunner.run(
            "ctl",
            "link",
            "put",
            actor.publicKey(),
            provider.publicKey(),
            "wasmcloud:keyvalue",
            "bucket=kept",
            "--ctl-port",
            Integer.toString(port));
    assertEquals(0, link.exitCode(), link.err() + link.out());
    String linkKey =
        LatticeKeys.linkdef(
            LinkDefinition.computeId(actor.publicKey(), "wasmcloud:keyvalue", "default"));
    try (Connection nc = Nats.connect(url)) {
      KeyValue own = createBucket(nc, "supervision_test");
      own.put("greeting", "survives".getBytes(StandardCharsets.UTF_8));
      Awaitility.await("the link is stored")
          .atMost(Duration.ofSeconds(20))
          .until(() -> nc.keyValue(LatticeKeys.bucket("default")).get(linkKey) != null);
    }

    ProcessHandle first = liveNats(h);
    first.destroyForcibly(); // SIGKILL
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !first.isAlive());

    Awaitility.await("nats-server is restarted on the same port")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                PidFile.live(h.natsPid()).filter(p -> p.pid() != first.pid()).isPresent()
                    && NatsLauncher.reachable("127.0.0.1", port));
    ProcessHandle second = liveNats(h);

    try (Connection nc = Nats.connect(url)) {
      KeyValueEntry kept = nc.keyValue(LatticeKeys.bucket("default")).get(linkKey);
      assertNotNull(kept, "the link survived the crash in the JetStream store");
      assertEquals(
          "kept", LinkDefinition.fromJson(kept.getValue()).values().get("bucket"), "link values");
      KeyValueEntry greeting = nc.keyValue("supervision_test").get("greeting");
      assertNotNull(greeting, "our own KV value survived");
      assertEquals("survives", greeting.getValueAsString());

      Awaitility.await("the host reconnects and answers ctl again")
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(
              () ->
                  hostId.equals(
                      HostInfo.fromJson(
                              nc.request(
                                      "wasmbus.ctl.default.ping.hosts",
                                      new byte[0],
                                      Duration.ofSeconds(2))
                                  .getData())
                          .id()));
    }

    Awaitility.await("the restart is logged")
        .atMost(Duration.ofSeconds(20))
        .until(() -> log(h).contains("restarted nats-server (pid " + second.pid() + ")"));
    String log = log(h);
    assertTrue(
        log.contains(
            "nats-server (pid "
                + first.pid()
                + ") was killed by signal 9 (SIGKILL); restarting it in 1 s (attempt 1 of 10)"),
        log);
    assertTrue(log.contains("restarted nats-server (pid " + second.pid() + ") on " + url), log);

    CliRunner.Result down = CliRunner.run("down");
    assertEquals(0, down.exitCode(), down.err());
    Awaitility.await("down stops the restarted server too")
        .atMost(Duration.ofSeconds(30))
        .until(() -> !second.isAlive() && UpLeftovers.of(home).isEmpty());
    assertFalse(Files.exists(h.natsPid()));
  }

  @Test
  void downWhileARestartIsPendingStopsEverythingForGood() throws Exception {
    int port = FreePorts.allocate();
    TrellisHome h = up(port);
    ProcessHandle first = liveNats(h);
    ProcessHandle host = PidFile.live(h.hostPid()).orElseThrow();
    first.destroyForcibly();
    Awaitility.await("the supervisor has scheduled a restart")
        .atMost(Duration.ofSeconds(20))
        .until(() -> log(h).contains("restarting it in 1 s"));

    CliRunner.Result down = CliRunner.run("down");
    assertEquals(0, down.exitCode(), down.err());
    assertTrue(down.out().contains("Stopping host"), down.out());
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !host.isAlive());
    // Longer than the pending restart's delay: nothing comes back once down has returned.
    Awaitility.await("no nats-server is running or restarted after down")
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                UpLeftovers.of(home).isEmpty()
                    && !NatsLauncher.reachable("127.0.0.1", port)
                    && !Files.exists(h.natsPid()));
    assertEquals(List.of(), UpLeftovers.of(home));
  }

  private static KeyValue createBucket(Connection nc, String name) throws Exception {
    nc.keyValueManagement()
        .create(KeyValueConfiguration.builder().name(name).storageType(StorageType.File).build());
    return nc.keyValue(name);
  }
}
