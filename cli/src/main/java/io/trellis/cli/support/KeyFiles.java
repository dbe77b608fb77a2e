package io.trellis.cli.support;

import io.trellis.host.config.TrellisDirs;
import io.trellis.wasmbus.nkeys.InvalidKeyException;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Seed files: written with mode 600 in a 700 directory, read from a path or taken verbatim when the
 * argument already is a seed. Nothing here ever prints a seed.
 */
public final class KeyFiles {
  private KeyFiles() {}

  /** {@code $TRELLIS_KEYS_DIR}, else {@code keys} in the Trellis directory ({@code ~/.trellis}). */
  public static Path keysDir() {
    String env = System.getenv("TRELLIS_KEYS_DIR");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return TrellisDirs.current().keys();
  }

  public static void writeSeed(Path file, KeyPair key) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      Files.createDirectories(parent);
      trySetPermissions(parent, "rwx------");
    }
    Path tmp = Files.createTempFile(parent, ".seed", ".tmp");
    trySetPermissions(tmp, "rw-------");
    Files.writeString(
        tmp, key.seed() + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Writes a new seed file, refusing to overwrite an existing key. */
  public static void writeNewSeed(Path file, KeyPair key) throws IOException {
    if (Files.exists(file)) {
      throw new FileAlreadyExistsException(file + " already exists; refusing to overwrite a key");
    }
    writeSeed(file, key);
  }

  /**
   * Reads a key given as a seed string or as a path to a file holding one.
   *
   * @param role what the key is for, used in error messages ("issuer", "subject")
   */
  public static KeyPair read(String seedOrPath, KeyType expected, String role) throws IOException {
    String s = seedOrPath.strip();
    if (s.length() == 58 && s.startsWith("S") && !Files.exists(Path.of(s))) {
      return check(KeyPair.fromSeed(s), expected, role, "the given seed");
    }
    Path p = Path.of(s);
    if (!Files.isRegularFile(p)) {
      throw new NoSuchFileException(p + " (the " + role + " key: a seed file or an S... seed)");
    }
    String content = Files.readString(p, StandardCharsets.US_ASCII).strip();
    try {
      return check(KeyPair.fromSeed(content), expected, role, p.toString());
    } catch (InvalidKeyException e) {
      throw new InvalidKeyException(
          "the " + role + " key file " + p + " holds no valid seed: " + e.getMessage());
    }
  }

  /** Reads a seed file if it exists, otherwise generates and saves a new key there. */
  public static KeyPair readOrCreate(Path file, KeyType type, String role, PrintWriter notice)
      throws IOException {
    if (Files.exists(file)) {
      return read(file.toString(), type, role);
    }
    KeyPair kp = KeyPair.generate(type);
    writeNewSeed(file, kp);
    notice.println("generated " + type.label() + " key " + kp.publicKey() + " in " + file);
    notice.flush();
    return kp;
  }

  /**
   * A signing key given as {@code seedOrPath}, or when null the key {@code <base>_<suffix>.nk} in
   * {@link #keysDir()}, created if missing (as wash does for claims and PARs).
   */
  public static KeyPair signingKey(
      @Nullable String seedOrPath,
      KeyType type,
      String role,
      String name,
      String suffix,
      PrintWriter notice)
      throws IOException {
    if (seedOrPath != null) {
      return read(seedOrPath, type, role);
    }
    return readOrCreate(
        keysDir().resolve(baseName(name) + "_" + suffix + ".nk"), type, role, notice);
  }

  /**
   * A name as a file-name stem: lower case, anything but {@code [a-z0-9_]} replaced by {@code _}
   * ("HTTP Server" becomes "http_server"), as wash names its key files and archives.
   */
  public static String baseName(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
  }

  private static KeyPair check(KeyPair kp, KeyType expected, String role, String where) {
    if (expected != null && kp.type() != expected) {
      throw new InvalidKeyException(
          "the "
              + role
              + " must be a "
              + expected
              + " seed but "
              + where
              + " is a "
              + kp.type()
              + " seed");
    }
    return kp;
  }

  private static void trySetPermissions(Path p, String perms) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    } catch (UnsupportedOperationException e) {
      // non-POSIX file system (Windows): ACLs of the user profile apply instead
    }
  }
}
