package io.trellis.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.wasmbus.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content-addressed cache (PROTOCOL.md §14.5): {@code blobs/sha256/<hex>} holds manifests and
 * layers by digest, {@code refs/<sha256 of the reference>} maps a tagged reference to its last
 * manifest digest, {@code tmp/} holds downloads in progress. Files appear only by an atomic rename
 * of a complete, verified temp file, so a reader never sees a partial blob. The directory is
 * private to the user (0700). After each download the cache is trimmed to its size limit, least
 * recently used blobs first (a use touches the file's modification time).
 */
final class BlobCache {
  private static final Logger LOG = LoggerFactory.getLogger(BlobCache.class);
  private static final Duration STALE_TEMP = Duration.ofHours(1);

  private final Path root;
  private final Path blobs;
  private final Path refs;
  private final Path tmp;
  private final long maxBytes;

  public BlobCache(Path root, long maxBytes) {
    this.root = root;
    this.blobs = root.resolve("blobs").resolve("sha256");
    this.refs = root.resolve("refs");
    this.tmp = root.resolve("tmp");
    this.maxBytes = maxBytes;
  }

  public Path root() {
    return root;
  }

  private void ensureDirs() {
    try {
      for (Path d : List.of(root, blobs, refs, tmp)) {
        if (!Files.isDirectory(d)) {
          Files.createDirectories(d);
        }
        try {
          Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: its own access rules apply
        }
      }
    } catch (IOException e) {
      throw new OciCacheException(
          "cannot use the OCI cache directory " + root + ": " + e.getMessage(), e);
    }
  }

  private Path blobPath(String digest) {
    return blobs.resolve(Digests.hex(digest));
  }

  /** True when the blob is cached with exactly {@code size} bytes. */
  public boolean has(String digest, long size) {
    try {
      return Files.size(blobPath(digest)) == size;
    } catch (IOException e) {
      return false;
    }
  }

  /** The cached blob, or null; a read counts as a use. */
  public byte @Nullable [] read(String digest) {
    Path p = blobPath(digest);
    try {
      byte[] b = Files.readAllBytes(p);
      touch(p);
      return b;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      LOG.warn("cannot read cached blob {}: {}", p, e.getMessage());
      return null;
    }
  }

  private static void touch(Path p) {
    try {
      Files.setLastModifiedTime(p, FileTime.from(Instant.now()));
    } catch (IOException ignored) {
      // only the eviction order suffers
    }
  }

  /** Stores verified bytes under their digest, atomically. */
  public void put(String digest, byte[] bytes) {
    ensureDirs();
    Path target = blobPath(digest);
    if (has(digest, bytes.length)) {
      touch(target);
      return;
    }
    Path t = null;
    try {
      t = Files.createTempFile(tmp, "blob-", ".part");
      Files.write(t, bytes);
      move(t, target);
    } catch (IOException e) {
      throw new OciCacheException(
          "cannot write " + digest + " into the OCI cache " + root + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(t);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      // same directory tree, so this does not happen on a sane file system
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    } catch (FileAlreadyExistsException e) {
      // another puller stored the same content first
    }
  }

  private static void deleteQuietly(@Nullable Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a stray temp file is removed by the next trim
      }
    }
  }

  private Path refPath(OciReference ref) {
    return refs.resolve(Digests.hex(Digests.of(key(ref).getBytes(StandardCharsets.UTF_8))));
  }

  private static String key(OciReference ref) {
    return ref.registry() + "/" + ref.repository() + ":" + ref.manifestReference();
  }

  /** The manifest digest a tagged reference resolved to last time. */
  public Optional<String> resolved(OciReference ref) {
    try {
      JsonNode n = Json.MAPPER.readTree(Files.readAllBytes(refPath(ref)));
      String d = n.path("digest").asText("");
      return n.path("reference").asText("").equals(key(ref)) && Digests.valid(d)
          ? Optional.of(d)
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Records what a tagged reference resolved to, atomically. */
  public void remember(OciReference ref, String manifestDigest) {
    ensureDirs();
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("reference", key(ref));
    o.put("digest", manifestDigest);
    Path t = null;
    try {
      t = Files.createTempFile(tmp, "ref-", ".part");
      Files.write(t, Json.bytes(o));
      move(t, refPath(ref));
    } catch (IOException e) {
      throw new OciCacheException(
          "cannot write the reference index of the OCI cache " + root + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(t);
    }
  }

  /**
   * Deletes least recently used blobs until the cache fits its limit, never those in {@code keep}
   * (the artifact just pulled); also removes temp files left by a crashed process.
   */
  public void trim(Set<String> keep) {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(blobs)) {
      s.forEach(files::add);
    } catch (IOException e) {
      return;
    }
    record Entry(Path path, long size, FileTime used) {}
    List<Entry> entries = new ArrayList<>();
    long total = 0;
    for (Path p : files) {
      try {
        long size = Files.size(p);
        entries.add(new Entry(p, size, Files.getLastModifiedTime(p)));
        total += size;
      } catch (IOException e) {
        // deleted meanwhile
      }
    }
    if (total > maxBytes) {
      entries.sort(Comparator.comparing(Entry::used));
      for (Entry e : entries) {
        if (total <= maxBytes) {
          break;
        }
        if (keep.contains("sha256:" + e.path().getFileName())) {
          continue;
        }
        deleteQuietly(e.path());
        total -= e.size();
        LOG.debug("OCI cache over {} bytes: evicted {}", maxBytes, e.path().getFileName());
      }
    }
    Instant stale = Instant.now().minus(STALE_TEMP);
    try (Stream<Path> s = Files.list(tmp)) {
      s.forEach(
          p -> {
            try {
              if (Files.getLastModifiedTime(p).toInstant().isBefore(stale)) {
                deleteQuietly(p);
              }
            } catch (IOException ignored) {
              // gone already
            }
          });
    } catch (IOException ignored) {
      // no temp directory yet
    }
  }
}
