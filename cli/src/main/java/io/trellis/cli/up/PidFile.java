package io.trellis.cli.up;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A pid file that also records what the process must look like, so {@code trellis down} only ever
 * signals the process {@code up} started: a reused pid running something else is left alone.
 *
 * <p>Format: line 1 the pid, line 2 a marker that must appear in the process's command line.
 */
public final class PidFile {
  private PidFile() {}

  public static void write(Path file, long pid, String marker) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, pid + "\n" + marker + "\n", StandardCharsets.UTF_8);
  }

  /** The live process the file names, if it still runs and still matches its marker. */
  public static Optional<ProcessHandle> live(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      var lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      long pid = Long.parseLong(lines.get(0).strip());
      String marker = lines.size() > 1 ? lines.get(1).strip() : "";
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> matches(p, marker));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static boolean matches(ProcessHandle p, String marker) {
    Optional<String> cmd = p.info().commandLine();
    if (cmd.isEmpty()) {
      // Without a readable command line we cannot prove it is ours; err on the side of not killing.
      return false;
    }
    return marker.isEmpty() || cmd.get().contains(marker);
  }

  public static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // best effort
    }
  }
}
