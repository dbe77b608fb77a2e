package io.trellis.oci;

import org.jspecify.annotations.Nullable;

/** The two things wasmCloud keeps in registries, with wash's media types (PROTOCOL.md §14.1). */
public enum ArtifactKind {
  ACTOR("actor module", MediaTypes.ACTOR_CONFIG, MediaTypes.ACTOR_LAYER, ".wasm"),
  PROVIDER("provider archive", MediaTypes.PROVIDER_CONFIG, MediaTypes.PROVIDER_LAYER, ".par.gz");

  private final String description;
  private final String configMediaType;
  private final String layerMediaType;
  private final String fileSuffix;

  ArtifactKind(
      String description, String configMediaType, String layerMediaType, String fileSuffix) {
    this.description = description;
    this.configMediaType = configMediaType;
    this.layerMediaType = layerMediaType;
    this.fileSuffix = fileSuffix;
  }

  /** "actor module" or "provider archive", for messages. */
  public String description() {
    return description;
  }

  /** "an actor module" or "a provider archive". */
  public String withArticle() {
    return (this == ACTOR ? "an " : "a ") + description;
  }

  public String configMediaType() {
    return configMediaType;
  }

  public String layerMediaType() {
    return layerMediaType;
  }

  /** What a pulled file is called by default: {@code .wasm} or {@code .par.gz}. */
  public String fileSuffix() {
    return fileSuffix;
  }

  /** The kind a layer media type stands for, or null (the tar layer stands for either). */
  static @Nullable ArtifactKind ofLayer(String mediaType) {
    for (ArtifactKind k : values()) {
      if (k.layerMediaType.equals(mediaType)) {
        return k;
      }
    }
    return null;
  }

  /**
   * Tells an actor module from a provider archive by content, as wash does before a push: the wasm
   * magic number, or a gzip stream or tar archive (a PAR, compressed or not).
   *
   * @throws UnsupportedArtifactException naming what the bytes start with
   */
  public static ArtifactKind detect(byte[] bytes, String what) {
    if (bytes.length >= 4
        && bytes[0] == 0
        && bytes[1] == 'a'
        && bytes[2] == 's'
        && bytes[3] == 'm') {
      return ACTOR;
    }
    if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
      return PROVIDER;
    }
    if (bytes.length >= 262
        && bytes[257] == 'u'
        && bytes[258] == 's'
        && bytes[259] == 't'
        && bytes[260] == 'a'
        && bytes[261] == 'r') {
      return PROVIDER;
    }
    throw new UnsupportedArtifactException(
        what
            + " is neither a wasm module nor a provider archive (.par.gz): it starts with "
            + hexStart(bytes));
  }

  private static String hexStart(byte[] bytes) {
    if (bytes.length == 0) {
      return "nothing (the file is empty)";
    }
    StringBuilder b = new StringBuilder("bytes");
    for (int i = 0; i < Math.min(8, bytes.length); i++) {
      b.append(String.format(" %02x", bytes[i] & 0xff));
    }
    return b.toString();
  }
}
