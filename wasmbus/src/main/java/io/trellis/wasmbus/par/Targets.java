package io.trellis.wasmbus.par;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Platform names in Rust's {@code <arch>-<os>} form, the stems of the binaries in a PAR
 * (PROTOCOL.md §2.5): {@code x86_64-linux}, {@code aarch64-linux}, {@code x86_64-macos}, {@code
 * aarch64-macos}, {@code x86_64-windows}, ...
 */
public final class Targets {
  private Targets() {}

  /** The target of the JVM this runs in. */
  public static String current() {
    return of(System.getProperty("os.arch", ""), System.getProperty("os.name", ""));
  }

  /**
   * Maps Java's {@code os.arch} and {@code os.name} to a target. Unknown values pass through
   * lower-cased, so the error for a missing binary still names what this machine is.
   */
  public static String of(String osArch, String osName) {
    String a = osArch.toLowerCase(Locale.ROOT);
    String arch =
        switch (a) {
          case "amd64", "x86_64", "x64" -> "x86_64";
          case "aarch64", "arm64" -> "aarch64";
          default -> a;
        };
    String n = osName.toLowerCase(Locale.ROOT);
    String os;
    if (n.startsWith("linux")) {
      os = "linux";
    } else if (n.startsWith("mac") || n.startsWith("darwin")) {
      os = "macos";
    } else if (n.startsWith("windows")) {
      os = "windows";
    } else {
      os = n.replaceAll("[^a-z0-9]", "");
    }
    return arch + "-" + os;
  }

  /** True for a plausible target name: {@code <arch>-<os>} of letters, digits and underscores. */
  public static boolean isValid(@Nullable String target) {
    return target != null && target.matches("[a-z0-9_]+-[a-z0-9_]+");
  }
}
