package io.trellis.apps.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.apps.Manifest;
import io.trellis.apps.ManifestParser;
import io.trellis.wasmbus.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Every stored version of one application and the deployed one, in wadm's {@code StoredManifest}
 * layout: {@code {"manifests": {version: manifest, ...}, "deployed_version": ...}}, versions in the
 * order they were put (PROTOCOL.md §15.2). Immutable; the changing methods return a copy.
 */
public record StoredApp(
    String name, Map<String, JsonNode> manifests, @Nullable String deployedVersion) {

  public StoredApp {
    manifests = Collections.unmodifiableMap(new LinkedHashMap<>(manifests));
  }

  public static StoredApp empty(String name) {
    return new StoredApp(name, Map.of(), null);
  }

  public boolean isEmpty() {
    return manifests.isEmpty();
  }

  /** The newest version put, or "" when none. */
  public String currentVersion() {
    String last = "";
    for (String v : manifests.keySet()) {
      last = v;
    }
    return last;
  }

  public List<String> versions() {
    return new ArrayList<>(manifests.keySet());
  }

  public boolean has(String version) {
    return manifests.containsKey(version);
  }

  public Optional<Manifest> manifest(String version) {
    JsonNode n = manifests.get(version);
    return n == null ? Optional.empty() : Optional.of(ManifestParser.fromTree(n));
  }

  public Manifest current() {
    return manifest(currentVersion()).orElseThrow();
  }

  public Optional<Manifest> deployed() {
    return deployedVersion == null ? Optional.empty() : manifest(deployedVersion);
  }

  public StoredApp withVersion(Manifest m) {
    Map<String, JsonNode> copy = new LinkedHashMap<>(manifests);
    copy.put(m.version(), m.source());
    return new StoredApp(name, copy, deployedVersion);
  }

  public StoredApp withoutVersion(String version) {
    Map<String, JsonNode> copy = new LinkedHashMap<>(manifests);
    copy.remove(version);
    return new StoredApp(name, copy, version.equals(deployedVersion) ? null : deployedVersion);
  }

  public StoredApp deploying(String version) {
    return new StoredApp(name, manifests, version);
  }

  public StoredApp undeployed() {
    return new StoredApp(name, manifests, null);
  }

  public byte[] toJson() {
    ObjectNode o = Json.MAPPER.createObjectNode();
    ObjectNode ms = o.putObject("manifests");
    manifests.forEach(ms::set);
    if (deployedVersion == null) {
      o.putNull("deployed_version");
    } else {
      o.put("deployed_version", deployedVersion);
    }
    return Json.bytes(o);
  }

  public static StoredApp fromJson(String name, byte[] json) {
    ObjectNode o =
        Json.readObject(
            json,
            (why, cause) -> new AppStoreException("stored app " + name + " is " + why, cause));
    Map<String, JsonNode> ms = new LinkedHashMap<>();
    o.path("manifests").properties().forEach(e -> ms.put(e.getKey(), e.getValue()));
    JsonNode d = o.get("deployed_version");
    return new StoredApp(name, ms, d == null || d.isNull() ? null : d.asText());
  }
}
