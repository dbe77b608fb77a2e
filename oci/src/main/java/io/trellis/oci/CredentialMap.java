package io.trellis.oci;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credentials keyed by registry, as ctl {@code registries.put} sends them: each put is merged into
 * what is there (a registry named again is replaced). A reference finds the entry for its registry
 * with the port ({@code localhost:5000}) and then without it ({@code localhost}).
 */
public final class CredentialMap implements CredentialSource {
  private final Map<String, RegistryCredentials> byRegistry = new ConcurrentHashMap<>();

  /** Merges entries; keys may carry a scheme or a path, which are dropped. */
  public void putAll(Map<String, RegistryCredentials> entries) {
    entries.forEach((k, v) -> byRegistry.put(key(k), v));
  }

  public Optional<RegistryCredentials> lookup(String registry) {
    String k = key(registry);
    RegistryCredentials c = byRegistry.get(k);
    if (c == null && k.lastIndexOf(':') > 0 && !k.endsWith("]")) {
      c = byRegistry.get(k.substring(0, k.lastIndexOf(':')));
    }
    return Optional.ofNullable(c);
  }

  @Override
  public Optional<RegistryCredentials> lookup(OciReference reference) {
    Optional<RegistryCredentials> c = lookup(reference.registry());
    if (c.isEmpty() && reference.registry().equals(OciReference.DOCKER_HUB)) {
      c = lookup("index.docker.io").or(() -> lookup("registry-1.docker.io"));
    }
    return c;
  }

  public int size() {
    return byRegistry.size();
  }

  private static String key(String registry) {
    return registry
        .strip()
        .toLowerCase(Locale.ROOT)
        .replaceFirst("^[a-z]+://", "")
        .replaceFirst("/.*$", "");
  }

  @Override
  public String toString() {
    return "CredentialMap" + byRegistry.keySet();
  }
}
