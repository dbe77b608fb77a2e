package io.trellis.cli.up;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.trellis.cli.CliRunner;
import io.trellis.wasmbus.ctl.HostInfo;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `trellis up --detached` starts nats-server and a host; `trellis down` stops exactly those. */
class UpDownTest {
  @TempDir Path home;

  /** Every process {@code up} started for this test, recorded as soon as it is known. */
  final Set<ProcessHandle> started = ConcurrentHashMap.newKeySet();

  /**
   * Records what runs for this test's home: the processes its pid files name (checked against their
   * command lines), and every descendant of this JVM whose command line names the home (the
   * detached host has {@code -Dtrellis.home=<home>}, its nats-server {@code -c <home>/...}), which
   * also catches an {@code up} that failed before writing a pid file.
   */
  void recordStarted() {
    TrellisHome h = new TrellisHome(home);
    for (Path pidFile : List.of(h.hostPid(), h.natsPid())) {
      PidFile.live(pidFile).ifPresent(started::add);
    }
    String marker = home.toString();
    ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .forEach(started::add);
  }

  CliRunner.Result up(String... args) {
    try {
      return CliRunner.run(args);
    } finally {
      recordStarted();
    }
  }

  /**
   * Whatever happened in the test (a failed assertion included): kills every recorded process by
   * its pid, then checks that none is left.
   */
  @AfterEach
  void cleanup() {
    try {
      recordStarted();
      for (ProcessHandle p : started) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> started.stream().noneMatch(ProcessHandle::isAlive));
      recordStarted();
      assertEquals(
          List.of(),
          started.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList(),
          "no process of this test is left running");
    } finally {
      System.clearProperty("trellis.home");
    }
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void upStartsNatsAndAHostAndDownStopsBoth() throws Exception {
    System.setProperty("trellis.home", home.toString());
    int port = freePort();
    CliRunner.Result up =
        up("up", "--detached", "--nats-port", Integer.toString(port), "--label", "region=test");
    assertEquals(0, up.exitCode(), up.err() + up.out());
    assertTrue(up.out().contains("Trellis is up in the background"), up.out());
    TrellisHome h = new TrellisHome(home);
    Optional<ProcessHandle> nats = PidFile.live(h.natsPid());
    Optional<ProcessHandle> host = PidFile.live(h.hostPid());
    assertTrue(nats.isPresent(), "nats-server pid file names a live nats-server");
    assertTrue(host.isPresent(), "host pid file names a live host");
    assertTrue(
        started.containsAll(List.of(nats.get(), host.get())),
        "both are recorded for cleanup: " + started);
    assertTrue(Files.readString(h.natsConfig()).contains("jetstream"));

    try (Connection nc = Nats.connect("nats://127.0.0.1:" + port)) {
      var reply = nc.request("wasmbus.ctl.default.ping.hosts", new byte[0], Duration.ofSeconds(5));
      HostInfo info = HostInfo.fromJson(reply.getData());
      assertEquals("test", info.labels().get("region"));
    }
    CliRunner.Result again = up("up", "--detached", "--nats-port", Integer.toString(port));
    assertEquals(1, again.exitCode());
    assertTrue(again.err().contains("already up"), again.err());

    CliRunner.Result down = CliRunner.run("down");
    assertEquals(0, down.exitCode(), down.err());
    assertTrue(down.out().contains("Stopping host"), down.out());
    assertFalse(
        down.out().contains("Stopping nats-server"),
        "the host stops the nats-server it started as it shuts down: " + down.out());
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !nats.get().isAlive() && !host.get().isAlive());
    assertFalse(Files.exists(h.hostPid()));
    assertFalse(Files.exists(h.natsPid()));
    assertTrue(CliRunner.run("down").out().contains("Nothing to stop"));
  }

  @Test
  void upAsALeafNodeJoinsTheHubsLattice() throws Exception {
    System.setProperty("trellis.home", home.toString());
    int leafPort = freePort();
    try (io.trellis.testkit.NatsServer hub =
        io.trellis.testkit.NatsServer.start(
            io.trellis.testkit.NatsServerOptions.builder()
                .name("hub")
                .jsDomain("hub")
                .extraConfig("leafnodes { listen: \"127.0.0.1:" + leafPort + "\" }\n")
                .build())) {
      int port = freePort();
      CliRunner.Result up =
          up(
              "up",
              "--detached",
              "--nats-port",
              Integer.toString(port),
              "--nats-remote-url",
              "nats-leaf://127.0.0.1:" + leafPort,
              "--js-domain",
              "hub",
              "--label",
              "site=laptop");
      assertEquals(0, up.exitCode(), up.err() + up.out());
      assertTrue(
          PidFile.live(new TrellisHome(home).hostPid()).filter(started::contains).isPresent(),
          "the host is recorded for cleanup: " + started);
      assertTrue(
          Files.readString(new TrellisHome(home).natsConfig())
              .contains("nats-leaf://127.0.0.1:" + leafPort));
      try (Connection onHub = hub.connect()) {
        // the laptop host answers a ping sent on the hub: it joined over the leaf connection
        Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .ignoreExceptions()
            .until(
                () -> {
                  var reply =
                      onHub.request(
                          "wasmbus.ctl.default.ping.hosts", new byte[0], Duration.ofSeconds(2));
                  return reply != null
                      && "laptop".equals(HostInfo.fromJson(reply.getData()).labels().get("site"));
                });
        // and its lattice data lives in the hub's JetStream domain
        assertTrue(onHub.keyValueManagement().getBucketNames().contains("LATTICEDATA_default"));
      }
      assertEquals(0, CliRunner.run("down").exitCode());
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> started.stream().noneMatch(ProcessHandle::isAlive));
    }
  }

  @Test
  void downNeverKillsAProcessItDidNotStart() throws Exception {
    System.setProperty("trellis.home", home.toString());
    Process stranger = new ProcessBuilder("sleep", "30").start();
    try {
      // a pid file naming a live process that is not a nats-server: left alone
      PidFile.write(new TrellisHome(home).natsPid(), stranger.pid(), "nats-server -c " + home);
      CliRunner.Result down = CliRunner.run("down");
      assertEquals(0, down.exitCode());
      assertTrue(
          stranger.isAlive(), "a foreign process with a reused pid must survive trellis down");
    } finally {
      stranger.destroyForcibly();
    }
  }
}
