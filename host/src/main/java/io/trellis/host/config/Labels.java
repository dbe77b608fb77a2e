package io.trellis.host.config;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Host labels (PROTOCOL.md §10.3): {@code HOST_<X>} environment variables, labels from the config
 * file, then the built-in {@code hostcore.*} labels in Rust platform names, which win.
 */
public final class Labels {
  private Labels() {}

  public static Map<String, String> fromEnvironment(Map<String, String> env) {
    Map<String, String> out = new TreeMap<>();
    env.forEach(
        (k, v) -> {
          // HOST_CONFIG names the output file; making it a label "config" (as OTP did) helps
          // nobody.
          if (k.startsWith("HOST_") && k.length() > 5 && !k.equals("HOST_CONFIG")) {
            out.put(k.substring(5).toLowerCase(Locale.ROOT), v);
          }
        });
    return out;
  }

  public static Map<String, String> builtin() {
    return Map.of("hostcore.os", os(), "hostcore.arch", arch(), "hostcore.osfamily", osFamily());
  }

  /** Rust's std::env::consts::OS for this JVM's platform. */
  public static String os() {
    String n = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (n.contains("linux")) {
      return "linux";
    }
    if (n.contains("mac") || n.contains("darwin")) {
      return "macos";
    }
    if (n.contains("windows")) {
      return "windows";
    }
    if (n.contains("freebsd")) {
      return "freebsd";
    }
    return n.replace(' ', '_');
  }

  /** Rust's std::env::consts::ARCH for this JVM's platform. */
  public static String arch() {
    String a = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return switch (a) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "aarch64";
      case "x86", "i386", "i686" -> "x86";
      default -> a;
    };
  }

  public static String osFamily() {
    return os().equals("windows") ? "windows" : "unix";
  }

  /** True when every constraint pair is present in {@code labels} with an identical value. */
  public static boolean satisfies(Map<String, String> labels, Map<String, String> constraints) {
    for (Map.Entry<String, String> c : constraints.entrySet()) {
      if (!c.getValue().equals(labels.get(c.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
