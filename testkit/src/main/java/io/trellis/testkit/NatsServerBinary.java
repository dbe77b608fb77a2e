package io.trellis.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the {@code nats-server} executable: {@code $NATS_SERVER_BIN}, else {@code nats-server} on
 * the {@code PATH}, else {@code /usr/sbin/nats-server} (where Debian puts it, outside a normal
 * user's PATH).
 */
public final class NatsServerBinary {
  /** Environment variable that names the binary explicitly (written by scripts/setup.sh). */
  public static final String ENV = "NATS_SERVER_BIN";

  private NatsServerBinary() {}

  /**
   * @throws NatsServerException listing every place that was looked at
   */
  public static Path locate() {
    List<String> tried = new ArrayList<>();
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      Path p = Path.of(env);
      if (Files.isExecutable(p)) {
        return p;
      }
      tried.add("$" + ENV + "=" + env + " (not an executable file)");
    } else {
      tried.add("$" + ENV + " (unset)");
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path p = Path.of(dir, "nats-server");
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    tried.add("nats-server on PATH");
    Path debian = Path.of("/usr/sbin/nats-server");
    if (Files.isExecutable(debian)) {
      return debian;
    }
    tried.add(debian.toString());
    throw new NatsServerException(
        "nats-server not found; tried "
            + String.join(", ", tried)
            + ". Run scripts/setup.sh (apt-get install nats-server) or set "
            + ENV);
  }
}
