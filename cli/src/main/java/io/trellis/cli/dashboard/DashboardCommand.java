package io.trellis.cli.dashboard;

import io.trellis.dashboard.DashboardServer;
import io.trellis.dashboard.DashboardSettings;
import io.trellis.wasmbus.LatticeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trellis dashboard}: serves the dashboard page for any lattice whose NATS has a websocket
 * listener, until Ctrl-C. The page connects to NATS itself; this only serves files and the page's
 * settings (docs/DASHBOARD.md).
 */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description =
        "Serve the live lattice dashboard for a NATS websocket URL and stay in the foreground.")
public final class DashboardCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--nats-ws",
      paramLabel = "URL",
      required = true,
      description = "the NATS websocket the page connects to, e.g. ws://127.0.0.1:4223")
  URI wsUrl;

  @Option(
      names = {"-x", "--lattice-prefix"},
      description = "lattice prefix (default 'default')")
  String lattice = "default";

  @Option(
      names = "--ctl-prefix",
      description = "control-interface topic prefix (default 'wasmbus.ctl')")
  String ctlPrefix = "wasmbus.ctl";

  @Option(
      names = "--user",
      paramLabel = "NAME",
      description =
          "NATS user the page connects as (the read-only one); none for an open websocket")
  @Nullable String user;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description = "file holding that user's password (handed to every page that loads)")
  @Nullable Path passwordFile;

  @Option(
      names = "--admin-user",
      paramLabel = "NAME",
      description = "NATS user to sign in as for actions (the page asks for its password)")
  @Nullable String adminUser;

  @Option(names = "--port", description = "HTTP port (default 3030; 0 = any free port)")
  int port = 3030;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      description =
          "address to serve on (default 127.0.0.1); anyone who reaches it gets the page's user and password")
  String bind = "127.0.0.1";

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    DashboardSettings.PageUser reader = null;
    if (user != null) {
      if (passwordFile == null) {
        throw new LatticeException("--user " + user + " needs --password-file");
      }
      reader = new DashboardSettings.PageUser(user, readPassword(passwordFile));
    } else if (passwordFile != null) {
      throw new LatticeException("--password-file needs --user");
    }
    DashboardSettings settings =
        new DashboardSettings(wsUrl, lattice, ctlPrefix, reader, adminUser, null);
    InetAddress address = address(bind);
    try (DashboardServer server = DashboardServer.start(settings, address, port)) {
      out.println("Dashboard for lattice '" + lattice + "' on " + wsUrl + ": " + server.url());
      if (!address.isLoopbackAddress()) {
        out.println(
            "Warning: served on "
                + bind
                + ": anyone who can reach it can use the page's NATS user");
      }
      out.println("Press Ctrl-C to stop.");
      out.flush();
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(new Thread(stopped::countDown, "trellis-dashboard-shutdown"));
      stopped.await();
    }
    return 0;
  }

  private static String readPassword(Path file) {
    try {
      String p = Files.readString(file).strip();
      if (p.isEmpty()) {
        throw new LatticeException("password file " + file + " is empty");
      }
      return p;
    } catch (IOException e) {
      throw new LatticeException("cannot read password file " + file + ": " + e.getMessage(), e);
    }
  }

  private static InetAddress address(String bind) {
    try {
      return InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new LatticeException("--bind " + bind + ": unknown address", e);
    }
  }
}
