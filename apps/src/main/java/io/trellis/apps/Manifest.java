package io.trellis.apps;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A validated application manifest (wadm's OAM {@code Application}, PROTOCOL.md §15.1). Build one
 * with {@link ManifestParser}.
 *
 * @param name {@code metadata.name}, a NATS subject token
 * @param version {@code metadata.annotations.version}; immutable once stored, never {@code latest}
 * @param description {@code metadata.annotations.description}, or null
 * @param components in manifest order
 * @param source the manifest as a JSON tree, exactly as put (YAML converted), which {@code get}
 *     returns
 */
public record Manifest(
    String name,
    String version,
    @Nullable String description,
    List<Component> components,
    JsonNode source) {
  public static final String API_VERSION = "core.oam.dev/v1beta1";
  public static final String KIND = "Application";
  public static final String LATEST = "latest";

  public Manifest {
    components = List.copyOf(components);
  }

  public Optional<Component> component(String componentName) {
    return components.stream().filter(c -> c.name().equals(componentName)).findFirst();
  }

  public List<Component.Capability> capabilities() {
    return components.stream()
        .filter(Component.Capability.class::isInstance)
        .map(Component.Capability.class::cast)
        .toList();
  }

  public List<Component.Actor> actors() {
    return components.stream()
        .filter(Component.Actor.class::isInstance)
        .map(Component.Actor.class::cast)
        .toList();
  }
}
