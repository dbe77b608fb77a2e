package io.trellis.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.apps.ManifestParser;
import io.trellis.apps.api.AppsApiException;
import io.trellis.apps.api.AppsClient;
import io.trellis.wasmbus.LatticeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading manifest files, and putting them the way {@code trellis app deploy FILE} needs. */
final class ManifestFiles {
  private ManifestFiles() {}

  static boolean isFile(String arg) {
    try {
      return Files.isRegularFile(Path.of(arg));
    } catch (RuntimeException e) {
      return false;
    }
  }

  static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new LatticeException("no such manifest file: " + file);
    } catch (IOException e) {
      throw new LatticeException("cannot read manifest " + file + ": " + e.getMessage(), e);
    }
  }

  /** Puts; a refusal lists every problem of the manifest, one per line. */
  static AppsClient.PutReply put(AppsClient apps, byte[] manifest) {
    return apps.put(manifest);
  }

  /**
   * Puts, or, when exactly this version with exactly this content is stored already, uses that: so
   * deploying the same file twice works, while a changed file with an old version is refused.
   */
  static AppsClient.PutReply putOrReuse(AppsClient apps, byte[] manifest) {
    try {
      return apps.put(manifest);
    } catch (AppsApiException e) {
      boolean exists =
          e.problems().size() == 1
              && e.problems().get(0).path().equals("metadata.annotations.version")
              && e.problems().get(0).message().contains("exists already");
      if (!exists) {
        throw e;
      }
      JsonNode mine = ManifestParser.read(manifest, null);
      String name = mine.path("metadata").path("name").asText();
      String version = mine.path("metadata").path("annotations").path("version").asText();
      JsonNode stored = apps.get(name, version);
      if (!stored.equals(mine)) {
        throw new LatticeException(
            "version "
                + version
                + " of "
                + name
                + " is stored already with different content;"
                + " versions are immutable, so give the changed manifest a new version");
      }
      return new AppsClient.PutReply(
          "existing",
          name,
          version,
          0,
          "Using the stored " + name + " " + version + " (same content)");
    }
  }
}
