package io.trellis.cli.up;

import java.nio.file.Path;
import java.util.List;

/**
 * The processes a test's {@code trellis up} left running: those whose command line names the test's
 * own temporary Trellis directory (the host gets it as -Dtrellis.home, nats-server as its config
 * path), so a failing test never leaves servers behind and never touches anyone else's.
 */
final class UpLeftovers {
  private UpLeftovers() {}

  static List<ProcessHandle> of(Path trellisHome) {
    String marker = trellisHome.toAbsolutePath().toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .toList();
  }

  static void kill(Path trellisHome) {
    of(trellisHome).forEach(ProcessHandle::destroyForcibly);
  }
}
