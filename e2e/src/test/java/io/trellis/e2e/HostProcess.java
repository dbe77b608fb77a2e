package io.trellis.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * A {@code trellis host} in its own JVM (the reconciler on, as by default), started from this test
 * class path, with its output in files: a host that can really die.
 */
final class HostProcess implements AutoCloseable {
  private static final Pattern STARTED = Pattern.compile("Host (N[A-Z0-9]{55}) \\(");

  private final Process process;
  private final Path out;
  private final String name;
  private final String id;

  private HostProcess(Process process, Path out, String name, String id) {
    this.process = process;
    this.out = out;
    this.name = name;
    this.id = id;
  }

  /**
   * Starts a host and waits until it announces its id.
   *
   * @param env host settings (WASMCLOUD_*, HOST_* labels, TRELLIS_*)
   */
  static HostProcess start(String name, Path dir, Map<String, String> env) throws IOException {
    Path home = Files.createDirectories(dir.resolve(name));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("--sun-misc-unsafe-memory-access=allow");
    cmd.add("-Xmx256m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.trellis.cli.Trellis");
    cmd.add("host");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    pb.environment().put("HOME", home.toString());
    pb.environment().put("TRELLIS_HOME", home.resolve(".trellis").toString());
    pb.environment().put("HOST_CONFIG", home.resolve("host_config.json").toString());
    Path log = home.resolve("host.log");
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Process p = pb.start();
    String[] id = new String[1];
    try {
      Awaitility.await("host " + name + " announces its id")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                if (!p.isAlive()) {
                  throw new AssertionError(
                      "host " + name + " exited with " + p.exitValue() + ": " + read(log));
                }
                Matcher m = STARTED.matcher(read(log));
                if (m.find()) {
                  id[0] = m.group(1);
                  return true;
                }
                return false;
              });
    } catch (RuntimeException | Error e) {
      killTree(p);
      throw e;
    }
    return new HostProcess(p, log, name, id[0]);
  }

  String id() {
    return id;
  }

  String name() {
    return name;
  }

  String log() {
    return read(out);
  }

  boolean alive() {
    return process.isAlive();
  }

  /**
   * SIGKILL to the host and every process it started (its providers), at once: the machine dies;
   * nothing says goodbye.
   */
  void kill() {
    killTree(process);
  }

  /**
   * SIGKILL to the host JVM alone: its provider processes are left to notice by themselves (their
   * stdin closes) that the host is gone.
   */
  void killAlone() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM and wait for the host to exit; nothing else is killed. True when it exited. */
  boolean terminate(Duration within) throws InterruptedException {
    process.destroy();
    return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The processes this host started (its providers and their children), now. */
  List<ProcessHandle> descendants() {
    return process.descendants().toList();
  }

  long pid() {
    return process.pid();
  }

  /** Sends a signal (STOP, CONT, ...) to the host JVM. */
  void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  private static void killTree(Process p) {
    List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
    all.add(p.toHandle());
    all.forEach(ProcessHandle::destroyForcibly);
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return "(cannot read " + p + ")";
    }
  }

  /** SIGTERM (graceful: it hands its lease over and stops its providers), SIGKILL after 15 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        killTree(process);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      killTree(process);
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }
}
