package io.trellis.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code trellis} in a separate JVM, as bin/trellis does, with its own environment and its
 * output in files: for what an in-process {@link CliRunner} cannot show (logging set up at JVM
 * start, {@code $HOME}, {@code $TRELLIS_HOME}).
 */
public final class CliProcess implements AutoCloseable {
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private CliProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Starts {@code trellis args...}.
   *
   * @param env variables to set (a null value removes the variable)
   * @param outDir where stdout.txt and stderr.txt are written
   */
  public static CliProcess start(
      Map<String, String> env, List<String> jvmArgs, Path outDir, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // the flags bin/trellis passes, so the JVM prints nothing of its own
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("--sun-misc-unsafe-memory-access=allow");
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Trellis.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    env.forEach(
        (k, v) -> {
          if (v == null) {
            pb.environment().remove(k);
          } else {
            pb.environment().put(k, v);
          }
        });
    Files.createDirectories(outDir);
    Path out = outDir.resolve("stdout.txt");
    Path err = outDir.resolve("stderr.txt");
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    return new CliProcess(pb.start(), out, err);
  }

  /** Runs a command to its end and returns its exit code. */
  public static Result run(Map<String, String> env, Path outDir, Duration timeout, String... args)
      throws IOException, InterruptedException {
    try (CliProcess p = start(env, List.of(), outDir, args)) {
      if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            "trellis " + String.join(" ", args) + " did not end in " + timeout + ": " + p.stderr());
      }
      return new Result(p.process.exitValue(), p.stdout(), p.stderr());
    }
  }

  public record Result(int exitCode, String out, String err) {}

  public Process process() {
    return process;
  }

  public String stdout() {
    return read(stdout);
  }

  public String stderr() {
    return read(stderr);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "(cannot read " + p + ": " + e.getMessage() + ")";
    }
  }

  /** SIGTERM (a graceful stop), then SIGKILL after 20 s; waits for the end. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
