package io.trellis.testkit;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A real {@code nats-server} child process for integration tests, on free 127.0.0.1 ports, with
 * JetStream (file store in a fresh temp directory) and a generated config file.
 *
 * <p>Typical use, one server per test class:
 *
 * <pre>{@code
 * static NatsServer nats;
 * @BeforeAll static void up() { nats = NatsServer.start(); }
 * @AfterAll static void down() { nats.close(); }
 * ... Connection nc = nats.connect();
 * }</pre>
 *
 * <p>{@link #stop()} and {@link #kill()} leave the temp directory in place, so {@link #restart()}
 * brings the server back on the same port with the same JetStream store (file-backed streams and KV
 * buckets survive, as on a real restart). {@link #close()} stops the server and deletes the
 * directory. Every started process is also killed by a JVM shutdown hook, so a crashed test run
 * leaks nothing. Instances are safe to use from several threads.
 */
public final class NatsServer implements AutoCloseable {
  private static final int START_ATTEMPTS = 3;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final NatsServerOptions options;
  private final Path binary;
  private final Path dir;
  private final Path configFile;
  private final Path logFile;
  private volatile int port;
  private volatile int monitorPort;
  private volatile @Nullable Process process;
  private volatile boolean closed;

  private NatsServer(NatsServerOptions options, Path binary, Path dir) {
    this.options = options;
    this.binary = binary;
    this.dir = dir;
    this.configFile = dir.resolve("nats-server.conf");
    this.logFile = dir.resolve("nats-server.log");
  }

  /** A standalone server with JetStream and no domain. */
  public static NatsServer start() {
    return start(NatsServerOptions.defaults());
  }

  /**
   * Starts a server and waits until {@code /healthz} answers 200 (JetStream ready), bounded by
   * {@link NatsServerOptions#startupTimeout()}. When the automatically chosen ports were taken by
   * someone else in the meantime, it retries with fresh ports.
   *
   * @throws NatsServerException if the binary is missing or the server does not become ready; the
   *     message holds the tail of the server log, and the server's directory is left in place
   */
  public static NatsServer start(NatsServerOptions options) {
    NatsServer server = launch(options);
    try {
      server.awaitReady(options.startupTimeout());
      return server;
    } catch (RuntimeException e) {
      server.kill(); // the directory (config, log) is kept for inspection; the message names it
      throw e;
    }
  }

  /**
   * Waits for {@code /healthz}. When the server's automatically chosen client or monitor port was
   * taken between choosing and binding (by any socket, e.g. the outbound connection of a cluster
   * peer), it respawns with fresh ones; other ports in its config stay as they are.
   */
  void awaitReady(Duration timeout) {
    for (int attempt = 1; ; attempt++) {
      try {
        awaitHealthy(timeout);
        return;
      } catch (NatsServerException e) {
        boolean portClash = logTail(40).contains("address already in use");
        if (!portClash || attempt >= START_ATTEMPTS || options.hasFixedPorts()) {
          throw e;
        }
        kill();
        allocatePorts();
        spawn();
      }
    }
  }

  /**
   * Writes the config and spawns the process without waiting for readiness. Used by {@link
   * NatsTopology}, which must start every member of a cluster before any of them can elect a
   * JetStream meta leader.
   */
  static NatsServer launch(NatsServerOptions options) {
    Path binary = NatsServerBinary.locate();
    Path dir;
    try {
      dir = Files.createTempDirectory("trellis-nats-" + options.name() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp dir for nats-server", e);
    }
    NatsServer server = new NatsServer(options, binary, dir);
    server.allocatePorts();
    server.spawn();
    return server;
  }

  private void allocatePorts() {
    int[] free = FreePorts.allocate(2);
    port = options.port() > 0 ? options.port() : free[0];
    monitorPort = options.monitorPort() > 0 ? options.monitorPort() : free[1];
  }

  private synchronized void spawn() {
    if (closed) {
      throw new NatsServerException("server " + name() + " is closed");
    }
    try {
      Files.writeString(configFile, options.render(port, monitorPort, storeDir()));
      ProcessBuilder pb =
          new ProcessBuilder(binary.toString(), "-c", configFile.toString())
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      Process p = pb.start();
      ProcessReaper.register(p);
      process = p;
    } catch (IOException e) {
      throw new NatsServerException("cannot start " + binary + " for server " + name(), e);
    }
  }

  /** Waits until {@code /healthz} returns 200 (client port open and, with JetStream, ready). */
  void awaitHealthy(Duration timeout) {
    Poll.until(
        "nats-server " + name() + " on " + url(),
        timeout,
        List.of(this),
        () -> Monitor.get(monitorPort, "/healthz").isPresent() ? null : "/healthz");
  }

  /** The server's name ({@code server_name}), unique within a topology. */
  public String name() {
    return options.name();
  }

  /** {@code nats://127.0.0.1:PORT}. */
  public String url() {
    return "nats://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** HTTP monitoring port ({@code /healthz}, {@code /varz}, {@code /jsz}, ...). */
  public int monitorPort() {
    return monitorPort;
  }

  public String monitorUrl() {
    return "http://127.0.0.1:" + monitorPort;
  }

  /** The JetStream domain, if the server was started with one. */
  public Optional<String> jsDomain() {
    return Optional.ofNullable(options.jsDomain());
  }

  public NatsServerOptions options() {
    return options;
  }

  /** The temp directory holding config, log and JetStream store. */
  public Path dir() {
    return dir;
  }

  public Path storeDir() {
    return dir.resolve("jetstream");
  }

  public Path configFile() {
    return configFile;
  }

  /** Everything the server printed (stdout and stderr), across restarts. */
  public Path logFile() {
    return logFile;
  }

  /** The last {@code lines} lines of the log, or a note when there is none yet. */
  public String logTail(int lines) {
    try {
      if (!Files.exists(logFile)) {
        return "(no log yet)";
      }
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + logFile + ": " + e.getMessage() + ")";
    }
  }

  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** The OS process id of the current process. */
  public long pid() {
    Process p = process;
    if (p == null) {
      throw new NatsServerException("server " + name() + " has no process");
    }
    return p.pid();
  }

  CompletableFuture<Process> onExit() {
    Process p = process;
    return p == null ? CompletableFuture.completedFuture(null) : p.onExit();
  }

  /**
   * GET on the monitoring port.
   *
   * @return the body when the server answered 200, else empty
   */
  public Optional<String> monitor(String path) {
    return Monitor.get(monitorPort, path.startsWith("/") ? path : "/" + path);
  }

  /**
   * Graceful stop (SIGTERM, then SIGKILL after 10 s). Keeps the directory for {@link #restart()}.
   */
  public synchronized void stop() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    ProcessReaper.destroyTree(p, false);
    if (!waitFor(p, STOP_TIMEOUT)) {
      ProcessReaper.destroyTree(p, true);
      waitFor(p, STOP_TIMEOUT);
    }
    ProcessReaper.unregister(p);
  }

  /** SIGKILL: simulates a crash. JetStream file data written so far is recovered on restart. */
  public synchronized void kill() {
    Process p = process;
    if (p == null) {
      return;
    }
    ProcessReaper.destroyTree(p, true);
    waitFor(p, STOP_TIMEOUT);
    ProcessReaper.unregister(p);
  }

  /**
   * Stops the server if it runs, then starts it again on the same ports with the same config and
   * JetStream store, and waits until it is healthy.
   */
  public synchronized void restart() {
    stop();
    spawn();
    awaitHealthy(options.startupTimeout());
  }

  /** Stops the server and deletes its directory. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    stop();
    closed = true;
    deleteRecursively(dir);
  }

  /**
   * Client options suited to tests: this server only, reconnect forever every 50 ms (so a restarted
   * server is found again within a few tens of ms), 2 s connect timeout.
   */
  public Options.Builder clientOptions() {
    return clientOptionsFor(url());
  }

  /**
   * The same test-friendly client options for explicit URLs (e.g. a {@link TcpProxy} in front of a
   * server, or several hub servers). Servers the cluster advertises are ignored, so the client only
   * ever uses the URLs given here.
   */
  public static Options.Builder clientOptionsFor(String... urls) {
    return new Options.Builder()
        .servers(urls)
        .ignoreDiscoveredServers()
        .connectionTimeout(Duration.ofSeconds(2))
        .reconnectWait(Duration.ofMillis(50))
        .maxReconnects(-1);
  }

  /** Connects with {@link #clientOptions()}. */
  public Connection connect() {
    return connect(clientOptions());
  }

  /** Connects with the given options (use {@link #clientOptions()} as a starting point). */
  public static Connection connect(Options.Builder options) {
    Options built = options.build();
    try {
      return Nats.connect(built);
    } catch (IOException e) {
      throw new NatsServerException("cannot connect to " + built.getServers(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NatsServerException("interrupted while connecting to " + built.getServers(), e);
    }
  }

  @Override
  public String toString() {
    return "NatsServer["
        + name()
        + " "
        + url()
        + (options.jsDomain() == null ? "" : " domain=" + options.jsDomain())
        + (isRunning() ? " running" : " stopped")
        + "]";
  }

  private static boolean waitFor(Process p, Duration timeout) {
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !p.isAlive();
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // best effort: a temp dir left behind is harmless
                }
              });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
