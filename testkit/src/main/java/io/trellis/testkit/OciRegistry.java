package io.trellis.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.jspecify.annotations.Nullable;

/**
 * A real OCI registry for tests: Debian's {@code docker-registry} (distribution 2.8) as a child
 * process on a free 127.0.0.1 port, with a generated config and a temp storage directory. Three
 * modes: anonymous, Basic ({@code htpasswd} with bcrypt entries generated here) and token (the
 * registry trusts an {@link OciTokenService} started alongside, which signs the tokens).
 *
 * <pre>{@code
 * try (OciRegistry reg = OciRegistry.start(OciRegistry.Auth.anonymous())) {
 *   String ref = reg.host() + "/trellis/echo:0.1.0";   // 127.0.0.1:PORT/...
 * }
 * }</pre>
 *
 * <p>{@link #stop()} keeps the storage, so {@link #restart()} serves the same content on the same
 * port; {@link #close()} also deletes it. {@link RawOci} pushes and reads with plain HTTP calls
 * (what curl would do), independent of the code under test.
 */
public final class OciRegistry implements AutoCloseable {
  /** Where the binary is when it is not named by {@value #ENV}. */
  public static final String DEFAULT_BINARY = "/usr/bin/docker-registry";

  public static final String ENV = "DOCKER_REGISTRY_BIN";

  private static final Duration STARTUP = Duration.ofSeconds(20);
  private static final int START_ATTEMPTS = 3;

  /** How clients must authenticate. */
  public sealed interface Auth {
    static Auth anonymous() {
      return new Anonymous();
    }

    static Auth htpasswd(String user, String password) {
      return new Htpasswd(user, password);
    }

    /** Token auth; tokens live {@code lifetimeSeconds}. */
    static Auth token(String user, String password, long lifetimeSeconds) {
      return new Token(user, password, lifetimeSeconds);
    }

    record Anonymous() implements Auth {}

    record Htpasswd(String user, String password) implements Auth {}

    record Token(String user, String password, long lifetimeSeconds) implements Auth {}
  }

  private final Auth auth;
  private final Path binary;
  private final Path dir;
  private final Path logFile;
  private final @Nullable OciTokenService tokens;
  private volatile int port;
  private volatile @Nullable Process process;

  private OciRegistry(Auth auth, Path binary, Path dir) {
    this.auth = auth;
    this.binary = binary;
    this.dir = dir;
    this.logFile = dir.resolve("registry.log");
    this.tokens =
        auth instanceof Auth.Token t
            ? new OciTokenService(t.user(), t.password(), t.lifetimeSeconds())
            : null;
  }

  public static OciRegistry start() {
    return start(Auth.anonymous());
  }

  /**
   * Starts a registry and waits until {@code /v2/} answers.
   *
   * @throws IllegalStateException when the binary is missing or the registry does not come up; the
   *     message holds the log tail
   */
  public static OciRegistry start(Auth auth) {
    Path binary = locate();
    Path dir;
    try {
      dir = Files.createTempDirectory("trellis-registry-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp dir for docker-registry", e);
    }
    OciRegistry r = new OciRegistry(auth, binary, dir);
    r.port = FreePorts.allocate(1)[0];
    for (int attempt = 1; ; attempt++) {
      r.spawn();
      try {
        r.awaitReady();
        return r;
      } catch (IllegalStateException e) {
        r.stop();
        if (attempt >= START_ATTEMPTS || !r.logTail(20).contains("address already in use")) {
          r.closeTokens();
          throw e;
        }
        r.port = FreePorts.allocate(1)[0];
      }
    }
  }

  /**
   * {@code $DOCKER_REGISTRY_BIN}, else {@value #DEFAULT_BINARY}, else {@code docker-registry} on
   * the PATH.
   */
  public static Path locate() {
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank() && Files.isExecutable(Path.of(env))) {
      return Path.of(env);
    }
    if (Files.isExecutable(Path.of(DEFAULT_BINARY))) {
      return Path.of(DEFAULT_BINARY);
    }
    String path = System.getenv("PATH");
    for (String d : path == null ? new String[0] : path.split(File.pathSeparator)) {
      Path p = Path.of(d, "docker-registry");
      if (!d.isEmpty() && Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        "docker-registry not found (tried $"
            + ENV
            + ", "
            + DEFAULT_BINARY
            + ", PATH); run scripts/setup.sh (apt-get install docker-registry)");
  }

  /** True when a registry binary is installed; tests that need one can assume it. */
  public static boolean available() {
    try {
      locate();
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  private String config() throws IOException {
    StringBuilder c = new StringBuilder();
    c.append("version: 0.1\n")
        .append("log:\n  level: info\n  accesslog:\n    disabled: true\n")
        .append("storage:\n  filesystem:\n    rootdirectory: ")
        .append(storage())
        .append("\n  delete:\n    enabled: true\n")
        .append("  maintenance:\n    uploadpurging:\n      enabled: false\n")
        .append("http:\n  addr: 127.0.0.1:")
        .append(port)
        .append("\n  secret: trellis-test-secret\n")
        .append("  headers:\n    X-Content-Type-Options: [nosniff]\n");
    switch (auth) {
      case Auth.Anonymous a -> {}
      case Auth.Htpasswd h -> {
        Path file = dir.resolve("htpasswd");
        Files.writeString(file, htpasswdLine(h.user(), h.password()) + "\n");
        c.append("auth:\n  htpasswd:\n    realm: trellis-test\n    path: ")
            .append(file)
            .append('\n');
      }
      case Auth.Token t -> {
        Path bundle = dir.resolve("token-root.pem");
        Files.writeString(bundle, tokens.certificatePem());
        c.append("auth:\n  token:\n    realm: ")
            .append(tokens.realm())
            .append("\n    service: ")
            .append(OciTokenService.SERVICE)
            .append("\n    issuer: ")
            .append(OciTokenService.ISSUER)
            .append("\n    rootcertbundle: ")
            .append(bundle)
            .append('\n');
      }
    }
    return c.toString();
  }

  /** A bcrypt ({@code $2y$}) htpasswd line, the only format distribution accepts. */
  public static String htpasswdLine(String user, String password) {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    return user + ":" + OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 10);
  }

  private synchronized void spawn() {
    try {
      Path configFile = dir.resolve("config.yml");
      Files.writeString(configFile, config());
      Process p =
          new ProcessBuilder(binary.toString(), "serve", configFile.toString())
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      ProcessReaper.register(p);
      process = p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
      while (true) {
        Process p = process;
        if (p == null || !p.isAlive()) {
          throw new IllegalStateException("docker-registry exited while starting:\n" + logTail(30));
        }
        try {
          int s =
              http.send(
                      HttpRequest.newBuilder(URI.create(url() + "/v2/"))
                          .timeout(Duration.ofSeconds(1))
                          .build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode();
          if (s == 200 || s == 401) {
            return;
          }
        } catch (IOException e) {
          // not listening yet
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for docker-registry", e);
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "docker-registry not ready on " + url() + " after " + STARTUP + ":\n" + logTail(30));
        }
        try {
          p.waitFor(20, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for docker-registry", e);
        }
      }
    }
  }

  /** {@code 127.0.0.1:PORT}: the registry part of references. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String url() {
    return "http://" + host();
  }

  public Auth auth() {
    return auth;
  }

  /** The token service in token mode. */
  public OciTokenService tokenService() {
    if (tokens == null) {
      throw new IllegalStateException("this registry does not use token auth");
    }
    return tokens;
  }

  /** The filesystem storage root. */
  public Path storage() {
    return dir.resolve("storage");
  }

  /** Where the registry keeps a blob's bytes: overwrite it to make the registry serve garbage. */
  public Path blobData(String digest) {
    String hex = digest.substring(digest.indexOf(':') + 1);
    return storage()
        .resolve("docker/registry/v2/blobs/sha256")
        .resolve(hex.substring(0, 2))
        .resolve(hex)
        .resolve("data");
  }

  public Path logFile() {
    return logFile;
  }

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

  /** Stops the process; storage and port are kept for {@link #restart()}. */
  public synchronized void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    ProcessReaper.destroyTree(p, false);
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        ProcessReaper.destroyTree(p, true);
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ProcessReaper.unregister(p);
    process = null;
  }

  /** Starts again on the same port with the same storage. */
  public void restart() {
    stop();
    spawn();
    awaitReady();
  }

  private void closeTokens() {
    if (tokens != null) {
      tokens.close();
    }
  }

  @Override
  public void close() {
    stop();
    closeTokens();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind harms nobody
    }
  }
}
