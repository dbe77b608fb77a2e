package io.trellis.cli.up;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.cli.CliProcess;
import io.trellis.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trellis} honours {@code $HOME} (the JVM's user.home does not) and {@code $TRELLIS_HOME}
 * for everything it keeps in {@code ~/.trellis}: real processes with their own environment.
 */
class TrellisHomeEnvTest {
  @TempDir Path dir;

  private static Map<String, String> env(Path home, Path trellisHome) {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", home.toString());
    env.put("TRELLIS_HOME", trellisHome == null ? null : trellisHome.toString());
    env.put("TRELLIS_KEYS_DIR", null);
    env.put("HOST_CONFIG", null);
    return env;
  }

  /** Runs up --detached, a command that generates keys, and down; checks where files landed. */
  private void upAndDownKeepEverythingIn(Map<String, String> env, Path root) throws Exception {
    int port = FreePorts.allocate();
    Duration timeout = Duration.ofSeconds(120);
    try {
      CliProcess.Result up =
          CliProcess.run(
              env, dir.resolve("up"), timeout, "up", "--detached", "--nats-port", "" + port);
      assertEquals(0, up.exitCode(), up.out() + up.err());
      assertTrue(up.out().contains("log             " + root.resolve("host.log")), up.out());
      for (String f :
          List.of(
              "host.pid",
              "nats.pid",
              "host.log",
              "up.json",
              "host_config.json",
              "nats/nats-server.conf",
              "nats/nats-server.log",
              "nats/jetstream")) {
        assertTrue(Files.exists(root.resolve(f)), root.resolve(f) + " exists");
      }
      assertTrue(
          Files.readString(root.resolve("nats/nats-server.conf"))
              .contains(root.resolve("nats/jetstream").toString()),
          "the JetStream store is in " + root);

      Path binary = dir.resolve("provider.bin");
      Files.writeString(binary, "#!/bin/sh\necho provider\n");
      CliProcess.Result par =
          CliProcess.run(
              env,
              dir.resolve("par"),
              timeout,
              "par",
              "create",
              "--binary",
              binary.toString(),
              "--capid",
              "wasmcloud:test",
              "--name",
              "Home Test",
              "--vendor",
              "me",
              "--destination",
              dir.resolve("p.par.gz").toString());
      assertEquals(0, par.exitCode(), par.err());
      assertTrue(Files.exists(root.resolve("keys/home_test_account.nk")), "generated keys");
      assertTrue(Files.exists(root.resolve("keys/home_test_service.nk")), "generated keys");

      CliProcess.Result down = CliProcess.run(env, dir.resolve("down"), timeout, "down");
      assertEquals(0, down.exitCode(), down.err());
      assertTrue(down.out().contains("Stopping host"), "down finds the pid files: " + down.out());
      assertFalse(Files.exists(root.resolve("host.pid")));
    } finally {
      UpLeftovers.kill(root);
    }
  }

  @Test
  void homeIsHonoured() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    upAndDownKeepEverythingIn(env(home, null), home.resolve(".trellis"));
  }

  @Test
  void trellisHomeMovesTheWholeDirectory() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    Path trellisHome = dir.resolve("elsewhere");
    upAndDownKeepEverythingIn(env(home, trellisHome), trellisHome);
    assertFalse(Files.exists(home.resolve(".trellis")), "nothing in $HOME/.trellis");
  }
}
