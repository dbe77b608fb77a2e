package io.trellis.host.ctl;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Where an actor or provider comes from: a local file, an http(s) URL, or an OCI/bindle reference. */
public sealed interface ArtifactRef {
  String raw();

  record FileRef(String raw, Path path) implements ArtifactRef {}

  record HttpRef(String raw, URI uri) implements ArtifactRef {}

  /** OCI and bindle references, recognised so they get a clear "not supported yet" answer. */
  record RegistryRef(String raw, String scheme) implements ArtifactRef {}

  static ArtifactRef parse(String ref) {
    String r = ref.strip();
    String lower = r.toLowerCase(Locale.ROOT);
    if (lower.startsWith("file://")) {
      return new FileRef(r, Path.of(URI.create(r.startsWith("file:///") ? r : "file://" + r.substring(7)).getPath()));
    }
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      return new HttpRef(r, URI.create(r));
    }
    if (lower.startsWith("bindle://")) {
      return new RegistryRef(r, "bindle");
    }
    if (lower.startsWith("oci://")) {
      return new RegistryRef(r, "OCI");
    }
    Path p = Path.of(r);
    if (Files.exists(p) || r.startsWith("/") || r.startsWith("./") || r.startsWith("../") || r.startsWith("~")
        || lower.endsWith(".wasm") || lower.endsWith(".par") || lower.endsWith(".par.gz")) {
      return new FileRef(r, r.startsWith("~") ? Path.of(System.getProperty("user.home"), r.substring(1)) : p);
    }
    // registry.example.com/org/name:tag, localhost:5000/x, name@sha256:...
    String first = r.contains("/") ? r.substring(0, r.indexOf('/')) : "";
    if (first.contains(".") || first.contains(":") || first.equals("localhost") || r.contains("@sha256:")
        || r.matches("[a-z0-9._/-]+:[A-Za-z0-9._-]+")) {
      return new RegistryRef(r, "OCI");
    }
    return new FileRef(r, p);
  }
}
