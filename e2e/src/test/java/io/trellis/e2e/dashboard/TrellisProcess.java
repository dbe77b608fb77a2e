package io.trellis.e2e.dashboard;

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
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@code trellis ARGS} from the real launcher jar (cli/target/trellis.jar), as {@code bin/trellis}
 * runs it, in a process of its own with its output in files.
 */
public final class TrellisProcess implements AutoCloseable {
  static final Path JAR = Path.of("..", "cli", "target", "trellis.jar").toAbsolutePath();

  final Process process;
  private final Path out;
  private final Path err;
  private final String name;

  private TrellisProcess(Process process, Path out, Path err, String name) {
    this.process = process;
    this.out = out;
    this.err = err;
    this.name = name;
  }

  /**
   * Starts it with {@code home} as HOME and Trellis directory, so nothing outside the test's
   * directory is touched.
   */
  public static TrellisProcess start(Path home, Map<String, String> env, String... args)
      throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(
          JAR + " is missing: build the cli module first (mvn install)");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "-Dtrellis.home=" + home.resolve(".trellis"),
            "-jar",
            JAR.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("HOME", home.toString());
    pb.environment().putAll(env);
    String name = args[0] + "-" + System.nanoTime();
    Path out = home.resolve(name + ".out");
    Path err = home.resolve(name + ".err");
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    return new TrellisProcess(pb.start(), out, err, String.join(" ", args));
  }

  String stdout() {
    return read(out);
  }

  String stderr() {
    return read(err);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "(cannot read " + p + ": " + e + ")";
    }
  }

  /** Waits for a line of stdout matching {@code regex} and returns its first group. */
  public String awaitOutput(String regex, Duration atMost) {
    Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
    try {
      Awaitility.await("trellis " + name + " printing " + regex)
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> p.matcher(stdout()).find() || !process.isAlive());
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(describe("did not print " + regex), e);
    }
    Matcher m = p.matcher(stdout());
    if (!m.find()) {
      throw new AssertionError(describe("ended without printing " + regex));
    }
    return m.groupCount() > 0 ? m.group(1) : m.group();
  }

  public String describe(String what) {
    return "trellis " + name + " " + what + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr();
  }

  /** SIGKILL: no goodbye, no host_stopped event. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM (a graceful stop), then SIGKILL after 20 s. */
  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
