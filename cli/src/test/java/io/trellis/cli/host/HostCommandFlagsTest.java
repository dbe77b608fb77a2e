package io.trellis.cli.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.trellis.host.config.HostConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Flags of {@code trellis host} become the top layer of the host's configuration. */
class HostCommandFlagsTest {
  @TempDir Path dir;

  @Test
  void tlsCaPathFlagIsTheHostsTrustedCaOverTheEnvironment() {
    HostCommand cmd = new HostCommand();
    Path ca = dir.resolve("ca.pem");
    new CommandLine(cmd).parseArgs("--tls-ca-path", ca.toString(), "--nats-port", "4999");
    HostConfig cfg = cmd.loadConfig(Map.of("WASMCLOUD_TLS_CA_PATH", "/from/env.pem"));
    assertEquals(ca.toString(), cfg.nats().tlsCaPath());
    assertEquals(4999, cfg.nats().rpc().port());
  }

  @Test
  void withoutTheFlagTheEnvironmentNamesTheCa() {
    HostCommand cmd = new HostCommand();
    new CommandLine(cmd).parseArgs();
    HostConfig cfg = cmd.loadConfig(Map.of("WASMCLOUD_TLS_CA_PATH", "/from/env.pem"));
    assertEquals("/from/env.pem", cfg.nats().tlsCaPath());
  }
}
