package io.trellis.cli.up;

import io.trellis.wasmbus.LatticeException;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Runs a local nats-server for {@code trellis up}: JetStream with its store under {@code
 * ~/.trellis/nats}, optionally as a leaf node of a remote hub (as {@code wash up --nats-remote-url}
 * does).
 */
public final class NatsLauncher {
  private NatsLauncher() {}

  /** Settings of the local server. */
  public record Settings(
      String host,
      int port,
      @Nullable String jsDomain,
      @Nullable String remoteUrl,
      @Nullable String credsFile) {}

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
    return c.toString();
  }

  /**
   * Starts nats-server and waits until it accepts connections.
   *
   * @throws LatticeException naming the log file when it does not come up
   */
  public static Process start(Path binary, Settings s, TrellisHome home, Duration timeout)
      throws IOException {
    Files.createDirectories(home.natsDir());
    Path store = home.natsDir().resolve("jetstream");
    Files.createDirectories(store);
    Files.writeString(home.natsConfig(), config(s, store));
    ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-c", home.natsConfig().toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.natsLog().toFile()));
    Process p = pb.start();
    PidFile.write(home.natsPid(), p.pid(), home.natsConfig().toString());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        PidFile.delete(home.natsPid());
        throw new LatticeException(
            "nats-server exited with status " + p.exitValue() + " at start; see " + home.natsLog());
      }
      if (reachable(s.host(), s.port())) {
        return p;
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
