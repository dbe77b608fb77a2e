package io.trellis.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.wasmbus.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** An image manifest or an index, as far as a pull needs them (PROTOCOL.md §14.3). */
sealed interface Manifest {

  /**
   * A content descriptor.
   *
   * @param platform {@code os/architecture} of an index entry, or null
   */
  record Descriptor(
      String mediaType,
      String digest,
      long size,
      @Nullable String artifactType,
      @Nullable String platform) {}

  /** An OCI image manifest or a Docker v2 manifest. */
  record Image(String mediaType, Descriptor config, List<Descriptor> layers) implements Manifest {
    public Image {
      layers = List.copyOf(layers);
    }
  }

  /** An OCI index or a Docker manifest list. */
  record Index(String mediaType, List<Descriptor> manifests) implements Manifest {
    public Index {
      manifests = List.copyOf(manifests);
    }
  }

  /**
   * @param contentType the response's Content-Type, used when the document names no media type
   * @return the manifest, or null with {@code problem[0]} saying why it cannot be read
   */
  static @Nullable Manifest parse(byte[] bytes, @Nullable String contentType, String[] problem) {
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      problem[0] = "the manifest is not valid JSON";
      return null;
    }
    if (n == null || !n.isObject()) {
      problem[0] = "the manifest is not a JSON object";
      return null;
    }
    String type = n.path("mediaType").asText("");
    if (type.isEmpty() && contentType != null) {
      type = contentType.split(";")[0].strip();
    }
    if (n.path("schemaVersion").asInt(0) == 1
        || type.startsWith("application/vnd.docker.distribution.manifest.v1+")) {
      problem[0] = "it is a Docker schema 1 manifest, which carries no wasmCloud artifact";
      return null;
    }
    try {
      if (n.has("manifests")) {
        List<Descriptor> entries = new ArrayList<>();
        for (JsonNode m : n.get("manifests")) {
          entries.add(descriptor(m));
        }
        return new Index(type.isEmpty() ? MediaTypes.OCI_INDEX : type, entries);
      }
      if (!n.has("config") || !n.has("layers")) {
        problem[0] = "the manifest has no config or no layers";
        return null;
      }
      List<Descriptor> layers = new ArrayList<>();
      for (JsonNode l : n.get("layers")) {
        layers.add(descriptor(l));
      }
      return new Image(
          type.isEmpty() ? MediaTypes.OCI_MANIFEST : type, descriptor(n.get("config")), layers);
    } catch (IllegalArgumentException e) {
      problem[0] = "the manifest has " + e.getMessage();
      return null;
    }
  }

  private static Descriptor descriptor(JsonNode d) {
    String digest = d.path("digest").asText("");
    if (!Digests.valid(digest)) {
      throw new IllegalArgumentException("a descriptor with digest '" + digest + "'");
    }
    long size = d.path("size").asLong(-1);
    if (size < 0) {
      throw new IllegalArgumentException("a descriptor without a size (" + digest + ")");
    }
    JsonNode p = d.get("platform");
    String platform =
        p == null
            ? null
            : p.path("os").asText("?")
                + "/"
                + p.path("architecture").asText("?")
                + (p.has("variant") ? "/" + p.path("variant").asText() : "");
    return new Descriptor(
        d.path("mediaType").asText(""),
        digest,
        size,
        d.hasNonNull("artifactType") ? d.get("artifactType").asText() : null,
        platform);
  }
}
