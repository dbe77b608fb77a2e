package io.trellis.host.providers;

import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.par.ProviderArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Locale;

/**
 * Writes a provider's binary for this platform to {@code
 * {cache}/{provider_pk}/{revision}/{contract}_{link}} (PROTOCOL.md §2.5), mode 0755, reusing a file
 * that already holds the same bytes.
 */
final class BinaryCache {
  private BinaryCache() {}

  static Path write(Path cacheDir, ProviderArchive archive, String linkName) {
    byte[] bin = archive.hostBinary();
    String file =
        sanitize(archive.capabilityContractId())
            + "_"
            + sanitize(linkName)
            + (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("windows")
                ? ".exe"
                : "");
    Path target =
        cacheDir
            .resolve(archive.publicKey())
            .resolve(Long.toString(archive.claims().effectiveRevision()))
            .resolve(file);
    try {
      if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), bin)) {
        return target;
      }
      createPrivate(cacheDir);
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), ".provider", ".tmp");
      Files.write(tmp, bin);
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
      } catch (UnsupportedOperationException e) {
        // not POSIX
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new LatticeException(
          "cannot write the provider binary to " + target + ": " + e.getMessage(), e);
    }
  }

  /** The cache root is created mode 0700: only this user may put binaries where we execute them. */
  private static void createPrivate(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
    }
  }

  /** Lower-case, every non-alphanumeric character replaced by '_'. */
  static String sanitize(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
  }
}
