package io.trellis.e2e.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code trellis host} JVM of the soak (like e2e's HostProcess, which is package-private
 * there): started from this class path with its output in a file, and killable, stoppable and
 * restartable by the fault driver.
 */
final class SoakHost {
  private static final Pattern STARTED = Pattern.compile("Host (N[A-Z0-9]{55}) \\(");

  final String name;
  final Map<String, String> env;
  private final Path home;
  private volatile Process process;
  private volatile String id = "";
  private int generation;

  SoakHost(String name, Path dir, Map<String, String> env) throws IOException {
    this.name = name;
    this.env = Map.copyOf(env);
    this.home = Files.createDirectories(dir.resolve(name));
  }

  /** Starts the JVM and waits (at most 90 s) until it announces its id. */
  synchronized void start() throws IOException, InterruptedException {
    generation++;
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
    Path log = log();
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException("host " + name + " exited with " + p.exitValue() + "; see " + log);
      }
      Matcher m = STARTED.matcher(Files.readString(log));
      if (m.find()) {
        id = m.group(1);
        process = p;
        return;
      }
      Thread.sleep(100);
    }
    p.destroyForcibly();
    throw new IOException("host " + name + " did not announce its id within 90 s; see " + log);
  }

  private Path log() {
    return home.resolve("host-" + (generation == 0 ? 1 : generation) + ".log");
  }

  String id() {
    return id;
  }

  int generation() {
    return generation;
  }

  boolean alive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** The host's child processes (its providers) right now. */
  List<ProcessHandle> children() {
    Process p = process;
    return p == null ? List.of() : p.children().toList();
  }

  List<ProcessHandle> descendants() {
    Process p = process;
    return p == null ? List.of() : p.descendants().toList();
  }

  /** SIGKILL to the host JVM alone: its providers must notice by themselves and exit. */
  void killAlone() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  void signal(String sig) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(pid())).start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + sig + " " + pid() + " failed");
    }
  }

  /** SIGTERM (graceful), SIGKILL of the host and its processes after 20 s. */
  void terminate() throws InterruptedException {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    p.destroy();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Heap used after a full GC, in KiB, from {@code jcmd GC.run} and {@code GC.heap_info}. */
  long heapAfterGcKib() {
    try {
      Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
      String pid = Long.toString(pid());
      run(jcmd.toString(), pid, "GC.run");
      String info = run(jcmd.toString(), pid, "GC.heap_info");
      Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return out;
  }
}
