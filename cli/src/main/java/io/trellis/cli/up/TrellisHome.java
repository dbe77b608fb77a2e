package io.trellis.cli.up;

import io.trellis.host.config.TrellisDirs;
import java.nio.file.Path;

/**
 * What {@code trellis up} keeps in the Trellis directory, which {@link TrellisDirs} decides ({@code
 * $TRELLIS_HOME}, else {@code $HOME/.trellis}).
 */
public record TrellisHome(Path root) {
  public static TrellisHome resolve() {
    return new TrellisHome(TrellisDirs.current().root());
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

  /** The dashboard admin password of the running {@code up}, readable by its owner only. */
  public Path dashboardAdminPassword() {
    return root.resolve("dashboard-admin.password");
  }

  public Path hostConfig() {
    return root.resolve("host_config.json");
  }
}
