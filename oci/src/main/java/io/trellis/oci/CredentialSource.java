package io.trellis.oci;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where credentials for a reference come from. The host asks, in the OTP host's order (PROTOCOL.md
 * §14.4): the map sent by ctl {@code registries.put} ({@link CredentialMap}), the config service (a
 * source to be plugged in), {@code OCI_REGISTRY}/{@code OCI_REGISTRY_USER}/ {@code
 * OCI_REGISTRY_PASSWORD} ({@link #environment}), then nobody (anonymous).
 */
@FunctionalInterface
public interface CredentialSource {
  Optional<RegistryCredentials> lookup(OciReference reference);

  /** Anonymous access for every registry. */
  static CredentialSource none() {
    return ref -> Optional.empty();
  }

  /** The first source that has credentials for the reference wins. */
  static CredentialSource firstOf(List<CredentialSource> sources) {
    List<CredentialSource> copy = List.copyOf(sources);
    return ref -> {
      for (CredentialSource s : copy) {
        Optional<RegistryCredentials> c = s.lookup(ref);
        if (c.isPresent()) {
          return c;
        }
      }
      return Optional.empty();
    };
  }

  /** The same credentials for one registry (a {@code --user/--password} on the command line). */
  static CredentialSource fixed(String registry, RegistryCredentials credentials) {
    CredentialMap map = new CredentialMap();
    map.putAll(Map.of(registry, credentials));
    return map;
  }

  /**
   * {@code OCI_REGISTRY} with {@code OCI_REGISTRY_USER} and {@code OCI_REGISTRY_PASSWORD}: used for
   * references on that registry (the OTP host compares the reference's start with it).
   */
  static CredentialSource environment(Map<String, String> env) {
    String registry = env.get("OCI_REGISTRY");
    String user = env.get("OCI_REGISTRY_USER");
    String password = env.get("OCI_REGISTRY_PASSWORD");
    if (registry == null || registry.isBlank() || user == null || password == null) {
      return none();
    }
    String prefix = registry.strip().toLowerCase(Locale.ROOT).replaceFirst("^[a-z]+://", "");
    RegistryCredentials c = RegistryCredentials.basic(user, password);
    return ref ->
        ref.toString().startsWith(prefix) || ref.registry().equals(prefix)
            ? Optional.of(c)
            : Optional.empty();
  }
}
