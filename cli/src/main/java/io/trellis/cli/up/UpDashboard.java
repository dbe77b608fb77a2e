package io.trellis.cli.up;

import io.trellis.dashboard.DashboardAccess;
import io.trellis.dashboard.DashboardServer;
import io.trellis.dashboard.DashboardSettings;
import io.trellis.dashboard.NatsAccessConfig;
import io.trellis.host.config.HostConfig;
import io.trellis.wasmbus.LatticeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard of {@code trellis up}: the websocket listener and its users in the config of the
 * nats-server {@code up} starts (PROTOCOL.md §17), then the page's HTTP server on loopback. The
 * admin password goes to a file only its owner can read; nothing is printed or logged.
 */
final class UpDashboard implements AutoCloseable {
  private final DashboardAccess access;
  private final String wsHost;
  private final int wsPort;
  private final int httpPort;
  private final boolean httpPortAsked;
  private final Path adminPasswordFile;
  private @Nullable DashboardServer server;

  private UpDashboard(
      DashboardAccess access,
      String wsHost,
      int wsPort,
      int httpPort,
      boolean httpPortAsked,
      Path adminPasswordFile) {
    this.access = access;
    this.wsHost = wsHost;
    this.wsPort = wsPort;
    this.httpPort = httpPort;
    this.httpPortAsked = httpPortAsked;
    this.adminPasswordFile = adminPasswordFile;
  }

  /** Fresh users and ports for this lattice, or null when the dashboard is switched off. */
  static @Nullable UpDashboard plan(DashboardOptions options, HostConfig cfg, TrellisHome home) {
    if (options.disabled) {
      return null;
    }
    DashboardAccess access =
        DashboardAccess.generate(
            cfg.lattice().prefix(), cfg.lattice().ctlTopicPrefix(), options.browserSubjects());
    // browsers reach the websocket on loopback only, whatever address the TCP listener has
    String wsHost = "127.0.0.1";
    int ws = port(wsHost, options.wsPort, DashboardOptions.DEFAULT_WS_PORT, "--nats-ws-port");
    int http =
        port("127.0.0.1", options.httpPort, DashboardOptions.DEFAULT_HTTP_PORT, "--dashboard-port");
    return new UpDashboard(
        access, wsHost, ws, http, options.httpPort != null, home.dashboardAdminPassword());
  }

  /** The lines to add to the nats-server config. */
  String natsConfig() {
    return NatsAccessConfig.render(access, wsHost, wsPort);
  }

  URI wsUrl() {
    return URI.create("ws://" + wsHost + ":" + wsPort);
  }

  /** Serves the page and writes the admin password file; call once NATS listens. */
  URI start() throws IOException {
    writeAdminPassword();
    DashboardSettings settings = DashboardSettings.of(access, wsUrl());
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try {
      server = DashboardServer.start(settings, loopback, httpPort);
    } catch (LatticeException e) {
      if (httpPortAsked) {
        throw e;
      }
      // the default port was free a moment ago, when NATS had not started yet; any port will do
      server = DashboardServer.start(settings, loopback, 0);
    }
    return server.url();
  }

  Path adminPasswordFile() {
    return adminPasswordFile;
  }

  private void writeAdminPassword() throws IOException {
    Files.deleteIfExists(adminPasswordFile);
    Files.createFile(
        adminPasswordFile,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        adminPasswordFile, access.admin().password() + "\n", StandardOpenOption.TRUNCATE_EXISTING);
  }

  /**
   * The port asked for, which must be free; else the default when free; else any free port, so
   * several lattices on one machine (and parallel test runs) each get a dashboard.
   */
  static int port(String host, @Nullable Integer asked, int preferred, String option) {
    if (asked != null) {
      if (asked < 1 || asked > 65535 || !free(host, asked)) {
        throw new LatticeException(
            option + " " + asked + ": the port is not free on " + host + "; choose another");
      }
      return asked;
    }
    if (free(host, preferred)) {
      return preferred;
    }
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(host, 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new LatticeException("no free port on " + host + " for " + option + ": " + e, e);
    }
  }

  private static boolean free(String host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    try {
      Files.deleteIfExists(adminPasswordFile);
    } catch (IOException e) {
      // a stale password file is harmless: the next 'up' writes a new password
    }
  }
}
