package io.trellis.cli.up;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NatsLauncherConfigTest {
  @Test
  void theConfigPingsOftenAndLetsTheExtraConfigOverrideIt() {
    String config =
        NatsLauncher.config(
            new NatsLauncher.Settings("127.0.0.1", 4222, null, null, null, "ping_max: 5\n"),
            Path.of("/tmp/store"));
    int pings = config.indexOf("ping_interval: \"2s\"\nping_max: 2\n");
    assertTrue(pings >= 0, config);
    // nats-server takes the last value of a repeated key
    assertTrue(config.indexOf("ping_max: 5") > pings, config);
  }
}
