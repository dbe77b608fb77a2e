package io.trellis.cli.up;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.cli.apps.ReconcilerOptions;
import io.trellis.cli.host.HostCommand;
import io.trellis.host.config.HostConfig;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trellis up}: a lattice on this machine. Uses the NATS at --nats-host:--nats-port if one
 * answers, otherwise starts nats-server (JetStream, store under ~/.trellis) — optionally as a leaf
 * node of a remote hub — and restarts it whenever it dies ({@link NatsSupervisor}), then runs a
 * host in the foreground. {@code trellis down} undoes exactly what this started.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description =
        "Start a local lattice (nats-server if needed + a host) and stay in the foreground.")
public final class UpCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HostOptions hostOptions;

  @Mixin DashboardOptions dashboardOptions;
  @Mixin ReconcilerOptions reconciler;

  @Option(names = "--nats-host", description = "NATS address to use or start (default 127.0.0.1)")
  String natsHost = "127.0.0.1";

  @Option(names = "--nats-port", description = "NATS port to use or start (default 4222)")
  int natsPort = 4222;

  @Option(
      names = "--nats-remote-url",
      paramLabel = "URL",
      description =
          "run the local nats-server as a leaf node of this hub (e.g. nats-leaf://hub.example.com:7422)")
  @Nullable String remoteUrl;

  @Option(
      names = "--nats-credsfile",
      paramLabel = "FILE",
      description = "credentials for the leaf connection")
  @Nullable String natsCredsfile;

  @Option(
      names = "--nats-js-domain",
      paramLabel = "DOMAIN",
      description =
          "JetStream domain of the local nats-server (default: 'trellis' when a remote URL is given)")
  @Nullable String natsJsDomain;

  @Option(
      names = "--detached",
      description = "start in the background and return once the host is up")
  boolean detached;

  @Option(names = "--wait-timeout-ms", hidden = true)
  long waitTimeoutMs = 60_000;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    TrellisHome home = TrellisHome.resolve();
    Files.createDirectories(home.root());
    if (PidFile.live(home.hostPid()).isPresent()) {
      throw new LatticeException(
          "trellis is already up (host pid "
              + PidFile.live(home.hostPid()).get().pid()
              + "); run 'trellis down' first");
    }
    if (detached) {
      return Detached.launch(
          home,
          withoutDetached(spec.commandLine().getParseResult().originalArgs()),
          out,
          Duration.ofMillis(waitTimeoutMs));
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("WASMCLOUD_ALLOW_FILE_LOAD", "true");
    env.putIfAbsent("HOST_CONFIG", home.hostConfig().toString());
    HostConfig cfg = hostOptions.load(env, natsHost, natsPort);
    @Nullable UpDashboard planned = UpDashboard.plan(dashboardOptions, cfg, home);
    @Nullable NatsSupervisor nats = ensureNats(home, out, planned);
    // only a nats-server this command started has the dashboard's websocket listener and users
    @Nullable UpDashboard dashboard = nats != null ? planned : null;
    if (planned != null && dashboard == null) {
      out.println(
          "No dashboard: that NATS server was not started by trellis up, so it has no websocket"
              + " listener of ours (see docs/DASHBOARD.md: trellis dashboard --nats-ws)");
    }
    try {
      @Nullable URI dashboardUrl = dashboard != null ? dashboard.start() : null;
      PidFile.write(home.hostPid(), ProcessHandle.current().pid(), "trellis");
      Runnable cleanup =
          () -> {
            PidFile.delete(home.hostPid());
            PidFile.delete(home.upInfo());
            if (dashboard != null) {
              dashboard.close();
            }
            if (nats != null) {
              nats.close();
            }
          };
      return HostCommand.runForeground(
          cfg,
          out,
          () -> announce(home, cfg, nats != null, dashboard, dashboardUrl, out),
          cleanup,
          reconciler);
    } catch (RuntimeException | Error e) {
      PidFile.delete(home.hostPid());
      if (dashboard != null) {
        dashboard.close();
      }
      if (nats != null) {
        nats.close();
      }
      throw e;
    }
  }

  /** This command's own arguments (the parse result may include the parent's) minus --detached. */
  private static List<String> withoutDetached(List<String> args) {
    List<String> l = new ArrayList<>(args);
    int up = l.indexOf("up");
    if (up >= 0) {
      l = new ArrayList<>(l.subList(up + 1, l.size()));
    }
    l.remove("--detached");
    return l;
  }

  /** The supervised nats-server this command started, or null when one already answered. */
  private @Nullable NatsSupervisor ensureNats(
      TrellisHome home, PrintWriter out, @Nullable UpDashboard dashboard) throws IOException {
    if (NatsLauncher.reachable(natsHost, natsPort)) {
      if (remoteUrl != null) {
        throw new LatticeException(
            "a NATS server already listens on "
                + natsHost
                + ":"
                + natsPort
                + ", so --nats-remote-url cannot be applied; stop it or choose another --nats-port");
      }
      out.println("Using the NATS server already running at nats://" + natsHost + ":" + natsPort);
      out.flush();
      return null;
    }
    Path bin =
        NatsLauncher.findBinary()
            .orElseThrow(
                () ->
                    new LatticeException(
                        "nats-server is not installed and no NATS answers at "
                            + natsHost
                            + ":"
                            + natsPort
                            + ": install it with 'sudo apt-get install nats-server' (Debian/Ubuntu) or see https://docs.nats.io/running-a-nats-service/introduction/installation"));
    String domain = natsJsDomain != null ? natsJsDomain : remoteUrl != null ? "trellis" : null;
    NatsLauncher.Settings settings =
        new NatsLauncher.Settings(
            natsHost,
            natsPort,
            domain,
            remoteUrl,
            natsCredsfile,
            dashboard != null ? dashboard.natsConfig() : "");
    Duration startTimeout = Duration.ofSeconds(20);
    Process p = NatsLauncher.start(bin, settings, home, startTimeout);
    out.println(
        "Started nats-server (pid "
            + p.pid()
            + ") on nats://"
            + natsHost
            + ":"
            + natsPort
            + (remoteUrl != null ? " as a leaf node of " + remoteUrl : "")
            + "; data in "
            + home.natsDir()
            + "; restarted if it dies");
    out.flush();
    return NatsSupervisor.supervise(
        p, bin, settings, home, RestartBackoff.defaults(), startTimeout);
  }

  private static void announce(
      TrellisHome home,
      HostConfig cfg,
      boolean startedNats,
      @Nullable UpDashboard dashboard,
      @Nullable URI dashboardUrl,
      PrintWriter out) {
    out.println();
    out.println("  lattice prefix  " + cfg.lattice().prefix());
    out.println("  host id         " + cfg.hostId());
    out.println(
        "  NATS            "
            + cfg.nats().ctl().url()
            + (cfg.lattice().jsDomainOrNull() != null
                ? " (JetStream domain " + cfg.lattice().jsDomain() + ")"
                : ""));
    out.println("  cluster key     " + cfg.cluster().publicKey());
    if (dashboard != null && dashboardUrl != null) {
      out.println("  dashboard       " + dashboardUrl);
      out.println("                  (admin password in " + dashboard.adminPasswordFile() + ")");
      out.println("  NATS websocket  " + dashboard.wsUrl() + " (dashboard users only)");
    }
    out.println();
    out.println("  In another terminal:");
    out.println("    bin/trellis ctl get inventory           what runs where");
    out.println("    bin/trellis app deploy FILE --wait      run an application (docs/APPS.md)");
    out.println("    bin/trellis ctl watch                   stream lattice events");
    out.println("    bin/trellis down                        stop what 'up' started");
    out.println("  Press Ctrl-C to stop.");
    out.flush();
    ObjectNode info = Json.MAPPER.createObjectNode();
    info.put("host_id", cfg.hostId());
    info.put("lattice_prefix", cfg.lattice().prefix());
    info.put("nats_url", cfg.nats().ctl().url());
    info.put("started_nats", startedNats);
    if (dashboard != null && dashboardUrl != null) {
      info.put("dashboard_url", dashboardUrl.toString());
      info.put("nats_ws_url", dashboard.wsUrl().toString());
    }
    info.put("pid", ProcessHandle.current().pid());
    try {
      Files.writeString(home.upInfo(), info.toPrettyString());
    } catch (IOException e) {
      // informational only
    }
  }

  /** Reads the info file a running {@code up} wrote (used by --detached and scripts). */
  static JsonNode readInfo(TrellisHome home) throws IOException {
    return Json.MAPPER.readTree(Files.readAllBytes(home.upInfo()));
  }
}
