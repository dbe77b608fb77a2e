package io.trellis.oci;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What to push besides the bytes.
 *
 * @param kind actor or provider; null = tell by content ({@link ArtifactKind#detect})
 * @param annotations manifest annotations ({@code -a key=value}), e.g. {@code
 *     org.opencontainers.image.source}
 * @param allowLatest allow pushing {@code :latest} (wash's {@code --allow-latest})
 * @param config the config blob; null = wash's {@code {}}
 */
public record PushRequest(
    @Nullable ArtifactKind kind,
    Map<String, String> annotations,
    boolean allowLatest,
    byte @Nullable [] config) {
  public PushRequest {
    annotations = Map.copyOf(annotations);
  }

  /** Tell the kind by content, no annotations, no latest, config {@code {}}. */
  public static PushRequest defaults() {
    return new PushRequest(null, Map.of(), false, null);
  }

  public PushRequest withAnnotations(Map<String, String> a) {
    return new PushRequest(kind, a, allowLatest, config);
  }

  public PushRequest withAllowLatest(boolean allow) {
    return new PushRequest(kind, annotations, allow, config);
  }
}
