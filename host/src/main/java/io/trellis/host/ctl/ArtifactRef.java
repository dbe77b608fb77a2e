package io.trellis.host.ctl;

import io.trellis.host.config.TrellisDirs;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where an actor or provider comes from: a local file, an http(s) URL, or an OCI/bindle reference.
 */
public sealed interface ArtifactRef {
  String raw();

  record FileRef(String raw, Path path) implements ArtifactRef {}

  record HttpRef(String raw, URI uri) implements ArtifactRef {}

  /**
   * An OCI reference ({@code registry[:port]/repo:tag}, {@code ...@sha256:...}, PROTOCOL.md §14.2),
   * or a bindle reference, recognised so that it gets a clear "not supported" answer.
   */
  record RegistryRef(String raw, String scheme) implements ArtifactRef {}

  static ArtifactRef parse(String ref) {
    String r = ref.strip();
    String lower = r.toLowerCase(Locale.ROOT);
    if (lower.startsWith("file://")) {
      return new FileRef(r, filePath(r));
    }
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      try {
        return new HttpRef(r, URI.create(r));
      } catch (IllegalArgumentException e) {
        throw new ArtifactException("invalid URL '" + r + "': " + e.getMessage());
      }
    }
    if (lower.startsWith("bindle://")) {
      return new RegistryRef(r, "bindle");
    }
    if (lower.startsWith("oci://")) {
      return new RegistryRef(r, "OCI");
    }
    Path p = path(r, r);
    if (Files.exists(p)
        || r.startsWith("/")
        || r.startsWith("./")
        || r.startsWith("../")
        || r.startsWith("~")
        || lower.endsWith(".wasm")
        || lower.endsWith(".par")
        || lower.endsWith(".par.gz")) {
      return new FileRef(
          r,
          r.startsWith("~")
              ? Path.of(TrellisDirs.current().userHome().toString(), r.substring(1))
              : p);
    }
    // registry.example.com/org/name:tag, localhost:5000/x, name@sha256:...
    String first = r.contains("/") ? r.substring(0, r.indexOf('/')) : "";
    if (first.contains(".")
        || first.contains(":")
        || first.equals("localhost")
        || r.contains("@sha256:")
        || r.matches("[a-z0-9._/-]+:[A-Za-z0-9._-]+")) {
      return new RegistryRef(r, "OCI");
    }
    return new FileRef(r, p);
  }

  /**
   * {@code file:///abs/path}, {@code file://localhost/abs/path} and (as wash accepts them) {@code
   * file://relative/path}; %XX escapes are decoded, '+' is kept as it is.
   */
  private static Path filePath(String r) {
    String rest = r.substring("file://".length());
    if (rest.regionMatches(true, 0, "localhost/", 0, 10)) {
      rest = rest.substring("localhost".length());
    }
    if (rest.isEmpty()) {
      throw new ArtifactException("invalid file reference '" + r + "': no path after file://");
    }
    return path(percentDecode(rest, r), r);
  }

  private static Path path(String s, String ref) {
    try {
      return Path.of(s);
    } catch (InvalidPathException e) {
      throw new ArtifactException("invalid file path in reference '" + ref + "': " + e.getReason());
    }
  }

  private static String percentDecode(String s, String ref) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < in.length; i++) {
      if (in[i] != '%') {
        out.write(in[i]);
        continue;
      }
      int hi = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
      int lo = hi < 0 ? -1 : Character.digit(in[i + 2], 16);
      if (lo < 0) {
        throw new ArtifactException(
            "invalid file reference '"
                + ref
                + "': '%' at position "
                + i
                + " is not followed by two hex digits");
      }
      out.write(hi * 16 + lo);
      i += 2;
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
