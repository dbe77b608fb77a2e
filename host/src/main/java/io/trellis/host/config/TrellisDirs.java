package io.trellis.host.config;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Where Trellis keeps its files; the one place that decides it. Everything under {@code ~/.trellis}
 * (pid files, logs, the nats-server store, the provider and OCI caches, keys, host_config.json) is
 * found through here.
 *
 * <p>The root is, first match wins: the system property {@value #HOME_PROPERTY} (set by {@code
 * trellis up --detached} for its background process, and by tests), {@code $TRELLIS_HOME}, {@code
 * $HOME/.trellis}, and only then the JVM's {@code user.home}. The JVM takes {@code user.home} from
 * the password database and ignores {@code $HOME}; wash and every Unix tool honour {@code $HOME},
 * so {@code HOME=/tmp/x trellis up} must write to {@code /tmp/x/.trellis}.
 *
 * @param userHome the user's home directory ({@code ~} in file references)
 * @param root the {@code .trellis} directory
 */
public record TrellisDirs(Path userHome, Path root) {
  /** The system property that overrides the whole directory. */
  public static final String HOME_PROPERTY = "trellis.home";

  /** From this process's environment and system properties. */
  public static TrellisDirs current() {
    return resolve(System::getenv, System::getProperty);
  }

  /**
   * @param env looks up an environment variable (null when unset)
   * @param properties looks up a system property (null when unset)
   */
  public static TrellisDirs resolve(UnaryOperator<String> env, UnaryOperator<String> properties) {
    String home = env.apply("HOME");
    Path userHome = Path.of(nonBlank(home) ? home : properties.apply("user.home")).toAbsolutePath();
    String property = properties.apply(HOME_PROPERTY);
    String variable = env.apply("TRELLIS_HOME");
    Path root =
        nonBlank(property)
            ? Path.of(property)
            : nonBlank(variable) ? Path.of(variable) : userHome.resolve(".trellis");
    return new TrellisDirs(userHome, root.toAbsolutePath());
  }

  private static boolean nonBlank(String s) {
    return s != null && !s.isBlank();
  }

  /** Provider binaries taken from archives, private to the user. */
  public Path providerCache() {
    return root.resolve("cache").resolve("providers");
  }

  /**
   * The OCI cache: blobs by digest and the reference index (PROTOCOL.md §14.5), private to the
   * user. Hosts and {@code trellis pull} share it.
   */
  public Path ociCache() {
    return root.resolve("cache").resolve("oci");
  }

  /** Seeds generated for signing ({@code $TRELLIS_KEYS_DIR} overrides it in the CLI). */
  public Path keys() {
    return root.resolve("keys");
  }

  /** Where a host writes its effective configuration unless {@code $HOST_CONFIG} says otherwise. */
  public Path hostConfig() {
    return root.resolve("host_config.json");
  }
}
