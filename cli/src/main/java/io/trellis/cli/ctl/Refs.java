package io.trellis.cli.ctl;

import io.trellis.host.config.TrellisDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns what a user typed as an actor or provider reference into what a host can resolve. Local
 * paths become absolute {@code file://} URLs because the host's working directory is not ours; URLs
 * and OCI references pass through unchanged: the host pulls them (PROTOCOL.md §14).
 */
public final class Refs {
  private Refs() {}

  public static String normalize(String ref, Path cwd) {
    String r = ref.strip();
    String lower = r.toLowerCase(Locale.ROOT);
    if (lower.startsWith("file://")) {
      String rest = r.substring("file://".length());
      return rest.startsWith("/") ? r : fileUrl(cwd.resolve(rest));
    }
    if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
      return r;
    }
    if (r.startsWith("~/")) {
      return fileUrl(TrellisDirs.current().userHome().resolve(r.substring(2)));
    }
    if (looksLikePath(r, lower, cwd)) {
      return fileUrl(cwd.resolve(r));
    }
    return r;
  }

  private static boolean looksLikePath(String r, String lower, Path cwd) {
    return r.startsWith("/")
        || r.startsWith("./")
        || r.startsWith("../")
        || lower.endsWith(".wasm")
        || lower.endsWith(".par")
        || lower.endsWith(".par.gz")
        || Files.exists(cwd.resolve(r));
  }

  /**
   * Percent-encoded ({@code file:///a%20b/x.wasm}), so paths with spaces survive URI parsing on the
   * host.
   */
  private static String fileUrl(Path p) {
    return p.toAbsolutePath().normalize().toUri().toString();
  }
}
