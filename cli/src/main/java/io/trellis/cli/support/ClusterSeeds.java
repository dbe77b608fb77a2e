package io.trellis.cli.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.host.config.TrellisDirs;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.nkeys.InvalidKeyException;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Finds the cluster seed that signs invocations: the option (or WASMCLOUD_CLUSTER_SEED), else the
 * {@code cluster_seed} a local host wrote to its config file ({@code $HOST_CONFIG}, {@code
 * ~/.trellis/host_config.json}, then wasmCloud's {@code ~/.wash/host_config.json}), so on a machine
 * running {@code trellis up}, {@code trellis call} needs no flags.
 */
public final class ClusterSeeds {
  private ClusterSeeds() {}

  /**
   * @param given a seed or a seed file from the option/environment, or null
   * @param hostConfig an explicit host config file, or null for the default places
   */
  public static KeyPair resolve(
      @Nullable String given,
      @Nullable Path hostConfig,
      @Nullable String hostConfigEnv,
      TrellisDirs dirs)
      throws IOException {
    if (given != null && !given.isBlank()) {
      return KeyFiles.read(given, KeyType.CLUSTER, "cluster seed");
    }
    List<Path> candidates = new ArrayList<>();
    if (hostConfig != null) {
      candidates.add(hostConfig);
    } else {
      if (hostConfigEnv != null && !hostConfigEnv.isBlank()) {
        candidates.add(Path.of(hostConfigEnv));
      }
      candidates.add(dirs.hostConfig());
      candidates.add(dirs.userHome().resolve(".wash").resolve("host_config.json"));
    }
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) {
        return fromHostConfig(p);
      }
    }
    if (hostConfig != null) {
      throw new NoSuchFileException(
          hostConfig + " (the host config file to take the cluster seed from)");
    }
    throw new InvalidKeyException(
        "no cluster seed to sign the invocation with: pass --cluster-seed or set "
            + "WASMCLOUD_CLUSTER_SEED, or run a local host (trellis up writes its seed to "
            + candidates.get(candidates.size() - 2)
            + ")");
  }

  /**
   * The cluster seed a host wrote to {@code file}, if the file exists and holds a valid one; used
   * by {@code trellis up} to keep a laptop lattice's cluster key across restarts.
   */
  public static Optional<String> seedIn(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(fromHostConfig(file).seed());
    } catch (IOException | InvalidKeyException e) {
      return Optional.empty();
    }
  }

  private static KeyPair fromHostConfig(Path p) throws IOException {
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(Files.readAllBytes(p));
    } catch (JsonProcessingException e) {
      throw new InvalidKeyException("cannot read the cluster seed from " + p + ": not JSON");
    }
    String seed = n == null ? "" : n.path("cluster_seed").asText("");
    if (seed.isEmpty()) {
      throw new InvalidKeyException(p + " has no cluster_seed; pass --cluster-seed");
    }
    KeyPair kp;
    try {
      kp = KeyPair.fromSeed(seed);
    } catch (InvalidKeyException e) {
      throw new InvalidKeyException(
          "the cluster_seed in " + p + " is not valid: " + e.getMessage());
    }
    if (kp.type() != KeyType.CLUSTER) {
      throw new InvalidKeyException(
          "the cluster_seed in " + p + " is a " + kp.type() + " seed, not a cluster seed");
    }
    return kp;
  }
}
