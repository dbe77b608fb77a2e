package io.trellis.cli.up;

import java.nio.file.Path;

/**
 * Where {@code trellis up} keeps its state: {@code -Dtrellis.home}, {@code $TRELLIS_HOME}, else
 * {@code ~/.trellis}.
 */
public record TrellisHome(Path root) {
  public static TrellisHome resolve() {
    String prop = System.getProperty("trellis.home");
    if (prop != null && !prop.isBlank()) {
      return new TrellisHome(Path.of(prop));
    }
    String env = System.getenv("TRELLIS_HOME");
    return new TrellisHome(
        env != null && !env.isBlank()
            ? Path.of(env)
            : Path.of(System.getProperty("user.home"), ".trellis"));
  }

  public Path natsDir() {
    return root.resolve("nats");
  }

  public Path natsConfig() {
    return natsDir().resolve("nats-server.conf");
  }

  public Path natsLog() {
    return natsDir().resolve("nats-server.log");
  }

  public Path natsPid() {
    return root.resolve("nats.pid");
  }

  public Path hostPid() {
    return root.resolve("host.pid");
  }

  public Path hostLog() {
    return root.resolve("host.log");
  }

  public Path upInfo() {
    return root.resolve("up.json");
  }

  public Path hostConfig() {
    return root.resolve("host_config.json");
  }
}
