package io.trellis.cli.up;

import io.trellis.wasmbus.LatticeException;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Runs a local nats-server for {@code trellis up}: JetStream with its store under {@code
 * ~/.trellis/nats}, optionally as a leaf node of a remote hub (as {@code wash up --nats-remote-url}
 * does).
 */
public final class NatsLauncher {
  private static final Optional<Path> SETSID =
      Stream.of("/usr/bin/setsid", "/bin/setsid")
          .map(Path::of)
          .filter(Files::isExecutable)
          .findFirst();

  /** The server's ping settings: a client that answers no ping for about 2 × 2 s is dropped. */
  public static final String PING_SETTINGS = "ping_interval: \"2s\"\nping_max: 2\n";

  private NatsLauncher() {}

  /**
   * Settings of the local server.
   *
   * @param extraConfig config text appended verbatim (the dashboard's websocket listener and
   *     users), empty for none
   */
  public record Settings(
      String host,
      int port,
      @Nullable String jsDomain,
      @Nullable String remoteUrl,
      @Nullable String credsFile,
      String extraConfig) {
    public Settings(
        String host,
        int port,
        @Nullable String jsDomain,
        @Nullable String remoteUrl,
        @Nullable String credsFile) {
      this(host, port, jsDomain, remoteUrl, credsFile, "");
    }
  }

  /** True when something accepts TCP connections at host:port. */
  public static boolean reachable(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** nats-server from NATS_SERVER_BIN, PATH, or /usr/sbin (where Debian puts it). */
  public static Optional<Path> findBinary() {
    String env = System.getenv("NATS_SERVER_BIN");
    if (env != null && Files.isExecutable(Path.of(env))) {
      return Optional.of(Path.of(env));
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir :
        (path + File.pathSeparator + "/usr/sbin" + File.pathSeparator + "/usr/local/sbin")
            .split(File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "nats-server");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  static String config(Settings s, Path storeDir) {
    StringBuilder c = new StringBuilder();
    c.append("# written by trellis up; regenerated on every start\n");
    c.append("listen: \"").append(s.host()).append(':').append(s.port()).append("\"\n");
    // a frozen client (SIGSTOP, a suspended VM) keeps its TCP connection, and NATS hands it its
    // share of the requests until pings time out: seconds here instead of minutes with the
    // defaults (docs/OPERATIONS.md, "Failure detection"; FrozenHostE2ETest). extraConfig may
    // override it.
    c.append(PING_SETTINGS);
    c.append("jetstream {\n  store_dir: \"").append(storeDir.toAbsolutePath()).append("\"\n");
    if (s.jsDomain() != null && !s.jsDomain().isBlank()) {
      c.append("  domain: \"").append(s.jsDomain()).append("\"\n");
    }
    c.append("}\n");
    if (s.remoteUrl() != null && !s.remoteUrl().isBlank()) {
      c.append("leafnodes {\n  remotes = [\n    {\n      url: \"")
          .append(s.remoteUrl())
          .append("\"\n");
      if (s.credsFile() != null && !s.credsFile().isBlank()) {
        c.append("      credentials: \"")
            .append(Path.of(s.credsFile()).toAbsolutePath())
            .append("\"\n");
      }
      c.append("    }\n  ]\n}\n");
    }
    c.append(s.extraConfig());
    return c.toString();
  }

  /**
   * Writes the config, starts nats-server and waits until it accepts connections.
   *
   * @throws LatticeException naming the log file when it does not come up
   */
  public static Process start(Path binary, Settings s, TrellisHome home, Duration timeout)
      throws IOException {
    Files.createDirectories(home.natsDir());
    Path store = home.natsDir().resolve("jetstream");
    Files.createDirectories(store);
    Files.writeString(home.natsConfig(), config(s, store));
    Process p = spawn(binary, home);
    awaitReady(p, s, home, timeout);
    return p;
  }

  /**
   * Starts nats-server on the config file {@link #start} wrote (so a restart keeps the port, the
   * JetStream store and the leaf settings) and records its pid; does not wait.
   */
  static Process spawn(Path binary, TrellisHome home) throws IOException {
    List<String> cmd = new ArrayList<>();
    // In a session of its own the server does not get the terminal's Ctrl-C along with trellis, so
    // the host stops first while NATS still takes its last events, then the server; and the
    // supervisor never sees that Ctrl-C as a crash. setsid execs in place: the pid stays the same.
    SETSID.ifPresent(s -> cmd.add(s.toString()));
    cmd.addAll(List.of(binary.toString(), "-c", home.natsConfig().toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.natsLog().toFile()));
    Process p = pb.start();
    PidFile.write(home.natsPid(), p.pid(), home.natsConfig().toString());
    return p;
  }

  /**
   * Waits until the server accepts connections; on failure stops it and removes its pid file.
   *
   * @throws LatticeException naming the log file when it exits or does not answer in time
   */
  static void awaitReady(Process p, Settings s, TrellisHome home, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        PidFile.delete(home.natsPid());
        throw new LatticeException(
            "nats-server exited with status " + p.exitValue() + " at start; see " + home.natsLog());
      }
      if (reachable(s.host(), s.port())) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    p.destroy();
    PidFile.delete(home.natsPid());
    throw new LatticeException(
        "nats-server did not accept connections on "
            + s.host()
            + ":"
            + s.port()
            + " within "
            + timeout.toSeconds()
            + " s; see "
            + home.natsLog());
  }
}
