package io.trellis.cli.up;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.host.config.TrellisDirs;
import io.trellis.wasmbus.LatticeException;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code trellis up --detached}: the same command as a background process, logging to a file. */
final class Detached {
  private Detached() {}

  static int launch(TrellisHome home, List<String> upArgs, PrintWriter out, Duration timeout)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    // The same class path as this process: the shaded jar normally, the module classes in tests.
    String classPath = System.getProperty("java.class.path");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java.toString(),
                "-XX:+UseG1GC",
                "-XX:G1HeapRegionSize=16m",
                "--enable-native-access=ALL-UNNAMED"));
    // The background process uses the directory this one decided on, whatever the property,
    // TRELLIS_HOME or HOME it would see; its pid files and log must be where 'down' looks.
    cmd.add("-D" + TrellisDirs.HOME_PROPERTY + "=" + home.root());
    cmd.addAll(List.of("-cp", classPath, "io.trellis.cli.Trellis", "up"));
    cmd.addAll(upArgs);
    PidFile.delete(home.upInfo());
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.hostLog().toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p = pb.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.isRegularFile(home.upInfo())) {
        JsonNode info = UpCommand.readInfo(home);
        out.println("Trellis is up in the background (pid " + p.pid() + ")");
        out.println("  lattice prefix  " + info.path("lattice_prefix").asText());
        out.println("  host id         " + info.path("host_id").asText());
        out.println("  NATS            " + info.path("nats_url").asText());
        if (info.hasNonNull("dashboard_url")) {
          out.println("  dashboard       " + info.path("dashboard_url").asText());
        }
        out.println("  log             " + home.hostLog());
        out.println("  stop it with    bin/trellis down");
        out.flush();
        return 0;
      }
      if (!p.isAlive()) {
        throw new LatticeException(
            "trellis up exited with status " + p.exitValue() + "; see " + home.hostLog());
      }
      Thread.sleep(100);
    }
    throw new LatticeException(
        "trellis up did not report ready within "
            + timeout.toSeconds()
            + " s; see "
            + home.hostLog());
  }
}
