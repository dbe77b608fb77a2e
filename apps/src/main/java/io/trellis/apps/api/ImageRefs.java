package io.trellis.apps.api;

import java.util.Locale;
import java.util.Optional;

/** The repository and tag of an OCI reference, for wadm's one-provider-version rule. */
final class ImageRefs {
  record RepoTag(String repository, String tag) {}

  private ImageRefs() {}

  /** Empty for files and URLs, and for references without a tag or digest. */
  static Optional<RepoTag> parse(String ref) {
    String r = ref.strip();
    String lower = r.toLowerCase(Locale.ROOT);
    if (lower.startsWith("file:")
        || lower.startsWith("http:")
        || lower.startsWith("https:")
        || r.startsWith("/")
        || r.startsWith(".")
        || r.startsWith("~")) {
      return Optional.empty();
    }
    if (lower.startsWith("oci://")) {
      r = r.substring("oci://".length());
    }
    int at = r.indexOf('@');
    if (at > 0) {
      return Optional.of(new RepoTag(r.substring(0, at), r.substring(at + 1)));
    }
    int colon = r.lastIndexOf(':');
    if (colon > r.lastIndexOf('/')) {
      return Optional.of(new RepoTag(r.substring(0, colon), r.substring(colon + 1)));
    }
    return Optional.empty();
  }
}
