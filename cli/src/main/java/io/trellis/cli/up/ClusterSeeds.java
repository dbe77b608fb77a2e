package io.trellis.cli.up;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.wasmbus.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the cluster seed a host wrote to its host_config.json. */
public final class ClusterSeeds {
  private ClusterSeeds() {}

  public static Optional<String> fromHostConfig(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode n = Json.MAPPER.readTree(Files.readAllBytes(file));
      String s = n.path("cluster_seed").asText("");
      return s.startsWith("SC") ? Optional.of(s) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
