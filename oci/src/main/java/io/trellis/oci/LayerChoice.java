package io.trellis.oci;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Picks the artifact out of a manifest: wash's actor or provider layer, or an OCI tar layer (which
 * the OTP host accepts for both); refuses everything else, saying what it is.
 *
 * @param layer the chosen layer
 * @param kind what it is; null for a tar layer whose config does not say (the bytes will tell)
 */
record LayerChoice(Manifest.Descriptor layer, @Nullable ArtifactKind kind) {
  private static final List<String> CONTAINER_CONFIGS =
      List.of(
          "application/vnd.oci.image.config.v1+json",
          "application/vnd.docker.container.image.v1+json");

  static LayerChoice choose(Manifest.Image m, @Nullable ArtifactKind expected, Session s) {
    Optional<Manifest.Descriptor> actor = first(m, MediaTypes.ACTOR_LAYER);
    Optional<Manifest.Descriptor> provider = first(m, MediaTypes.PROVIDER_LAYER);
    Optional<Manifest.Descriptor> tar = first(m, MediaTypes.OCI_TAR_LAYER);
    ArtifactKind byConfig =
        m.config().mediaType().equals(MediaTypes.ACTOR_CONFIG)
            ? ArtifactKind.ACTOR
            : m.config().mediaType().equals(MediaTypes.PROVIDER_CONFIG)
                ? ArtifactKind.PROVIDER
                : null;
    if (expected == ArtifactKind.ACTOR || expected == null) {
      if (actor.isPresent()) {
        return new LayerChoice(actor.get(), ArtifactKind.ACTOR);
      }
    }
    if (expected == ArtifactKind.PROVIDER || expected == null) {
      if (provider.isPresent()) {
        return new LayerChoice(provider.get(), ArtifactKind.PROVIDER);
      }
    }
    if (tar.isPresent() && (expected == null || byConfig == null || byConfig == expected)) {
      return new LayerChoice(tar.get(), expected != null ? expected : byConfig);
    }
    String wanted =
        expected == null ? "a wasmCloud actor module or provider archive" : expected.withArticle();
    if (expected == ArtifactKind.ACTOR && provider.isPresent()) {
      throw new UnsupportedArtifactException(
          s.prefix()
              + "it is a provider archive (layer "
              + MediaTypes.PROVIDER_LAYER
              + "), not an actor module; start it as a provider");
    }
    if (expected == ArtifactKind.PROVIDER && actor.isPresent()) {
      throw new UnsupportedArtifactException(
          s.prefix()
              + "it is an actor module (layer "
              + MediaTypes.ACTOR_LAYER
              + "), not a provider archive; start it as an actor");
    }
    throw new UnsupportedArtifactException(s.prefix() + "it is " + describe(m) + ", not " + wanted);
  }

  private static Optional<Manifest.Descriptor> first(Manifest.Image m, String type) {
    return m.layers().stream().filter(l -> l.mediaType().equals(type)).findFirst();
  }

  static String describe(Manifest.Image m) {
    String layers =
        m.layers().isEmpty()
            ? "no layers"
            : m.layers().size()
                + (m.layers().size() == 1 ? " layer of type " : " layers of types ")
                + m.layers().stream()
                    .map(Manifest.Descriptor::mediaType)
                    .distinct()
                    .collect(Collectors.joining(", "));
    String what =
        CONTAINER_CONFIGS.contains(m.config().mediaType())
            ? "a container image"
            : "an artifact without a wasmCloud layer";
    return what + " (config " + m.config().mediaType() + "; " + layers + ")";
  }

  /** The index entry that holds wasm, if any. */
  static Optional<Manifest.Descriptor> wasmEntry(Manifest.Index index) {
    return index.manifests().stream()
        .filter(
            d ->
                (d.artifactType() != null && d.artifactType().contains("wasm"))
                    || (d.platform() != null && d.platform().startsWith("wasi")))
        .findFirst();
  }

  static String describe(Manifest.Index index) {
    String entries =
        index.manifests().stream()
            .map(d -> d.platform() != null ? d.platform() : d.mediaType())
            .collect(Collectors.joining(", "));
    return "an image index ("
        + index.manifests().size()
        + " entries: "
        + (entries.isEmpty() ? "none" : entries)
        + ") with no wasm artifact";
  }
}
