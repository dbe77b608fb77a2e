package io.trellis.wasmbus.claims;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * {@code wascap} of an actor. Nullable fields are absent from the token. {@code caps} keeps the
 * exact list: {@code [""]} and {@code []} differ on the wire and both occur in real actors.
 */
public record ActorMetadata(
    @Nullable String name,
    @Nullable String hash,
    @Nullable List<String> tags,
    @Nullable List<String> caps,
    @Nullable Integer rev,
    @Nullable String ver,
    @Nullable String callAlias,
    boolean provider)
    implements WascapMetadata {

  public ActorMetadata {
    tags = tags == null ? null : List.copyOf(tags);
    caps = caps == null ? null : List.copyOf(caps);
  }

  public List<String> capsOrEmpty() {
    return caps == null ? List.of() : caps;
  }

  public List<String> tagsOrEmpty() {
    return tags == null ? List.of() : tags;
  }

  public boolean hasCapability(String contractId) {
    return caps != null && caps.contains(contractId);
  }

  public ActorMetadata withHash(String newHash) {
    return new ActorMetadata(name, newHash, tags, caps, rev, ver, callAlias, provider);
  }

  /**
   * Normalises a call alias as wascap does at signing: trimmed, lower-cased, non-ASCII removed, and
   * space, '-' and '.' turned into '_' ('/' is kept).
   */
  public static @Nullable String normalizeCallAlias(@Nullable String alias) {
    if (alias == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (char c : alias.strip().toLowerCase(Locale.ROOT).toCharArray()) {
      if (c > 127) {
        continue;
      }
      sb.append(c == ' ' || c == '-' || c == '.' ? '_' : c);
    }
    return sb.toString();
  }
}
