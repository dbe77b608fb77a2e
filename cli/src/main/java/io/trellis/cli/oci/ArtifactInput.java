package io.trellis.cli.oci;

import io.trellis.host.ctl.ArtifactRef;
import io.trellis.oci.ArtifactKind;
import io.trellis.oci.OciClient;
import io.trellis.oci.OciReference;
import io.trellis.oci.PulledArtifact;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What {@code claims inspect} and {@code par inspect} read: a file, or an artifact in a registry
 * when the argument is an OCI reference and no such file exists.
 */
public final class ArtifactInput {
  private ArtifactInput() {}

  /** The bytes and a name for messages (the path, or the reference). */
  public record Loaded(byte[] bytes, String name) {}

  public static Loaded read(
      String fileOrRef, ArtifactKind kind, RegistryOptions registry, PrintWriter err)
      throws IOException {
    Path p = Path.of(fileOrRef);
    if (!Files.exists(p)
        && ArtifactRef.parse(fileOrRef) instanceof ArtifactRef.RegistryRef r
        && r.scheme().equals("OCI")) {
      OciReference ref = OciReference.parse(fileOrRef);
      try (OciClient oci = registry.client(ref, true)) {
        PulledArtifact a = oci.pull(fileOrRef, kind);
        if (a.warning() != null) {
          err.println("warning: " + a.warning());
          err.flush();
        }
        return new Loaded(a.bytes(), a.pinnedReference());
      }
    }
    if (!Files.isRegularFile(p)) {
      throw new NoSuchFileException(fileOrRef);
    }
    return new Loaded(Files.readAllBytes(p), fileOrRef);
  }
}
