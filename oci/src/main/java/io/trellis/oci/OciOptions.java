package io.trellis.oci;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How an {@link OciClient} behaves (PROTOCOL.md §14, docs/OPERATIONS.md).
 *
 * @param allowLatest allow {@code :latest} and untagged references ({@code
 *     WASMCLOUD_OCI_ALLOW_LATEST})
 * @param allowedInsecure registries spoken to over plain HTTP ({@code
 *     WASMCLOUD_OCI_ALLOWED_INSECURE}), as {@code host:port} or {@code host}; all others are HTTPS
 * @param maxBlobBytes the largest artifact (layer) accepted; manifests are capped at 4 MiB
 * @param deadline the whole pull or push (every request and every byte) must finish within this
 * @param connectTimeout per connection attempt
 * @param cacheDir the content-addressed cache, or null for none (then every pull downloads)
 * @param cacheMaxBytes the cache is trimmed to this after each download, least recently used first
 * @param chunkBytes blobs larger than this are uploaded in chunks of this size
 */
public record OciOptions(
    boolean allowLatest,
    List<String> allowedInsecure,
    long maxBlobBytes,
    Duration deadline,
    Duration connectTimeout,
    @Nullable Path cacheDir,
    long cacheMaxBytes,
    int chunkBytes) {
  public static final long DEFAULT_MAX_BLOB_BYTES = 256L * 1024 * 1024;
  public static final long DEFAULT_CACHE_MAX_BYTES = 2L * 1024 * 1024 * 1024;
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(120);
  public static final int DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;

  public OciOptions {
    allowedInsecure =
        allowedInsecure.stream()
            .map(s -> s.strip().toLowerCase(Locale.ROOT).replaceFirst("^[a-z]+://", ""))
            .filter(s -> !s.isEmpty())
            .toList();
    if (maxBlobBytes < 1 || cacheMaxBytes < 0 || chunkBytes < 1) {
      throw new IllegalArgumentException("sizes must be positive");
    }
  }

  /** Defaults: HTTPS only, no latest, 256 MiB artifacts, 120 s, a 2 GiB cache in {@code dir}. */
  public static OciOptions defaults(@Nullable Path cacheDir) {
    return new OciOptions(
        false,
        List.of(),
        DEFAULT_MAX_BLOB_BYTES,
        DEFAULT_DEADLINE,
        Duration.ofSeconds(10),
        cacheDir,
        DEFAULT_CACHE_MAX_BYTES,
        DEFAULT_CHUNK_BYTES);
  }

  public OciOptions withAllowLatest(boolean allow) {
    return new OciOptions(
        allow,
        allowedInsecure,
        maxBlobBytes,
        deadline,
        connectTimeout,
        cacheDir,
        cacheMaxBytes,
        chunkBytes);
  }

  public OciOptions withAllowedInsecure(List<String> registries) {
    return new OciOptions(
        allowLatest,
        registries,
        maxBlobBytes,
        deadline,
        connectTimeout,
        cacheDir,
        cacheMaxBytes,
        chunkBytes);
  }

  public OciOptions withMaxBlobBytes(long max) {
    return new OciOptions(
        allowLatest,
        allowedInsecure,
        max,
        deadline,
        connectTimeout,
        cacheDir,
        cacheMaxBytes,
        chunkBytes);
  }

  public OciOptions withDeadline(Duration d) {
    return new OciOptions(
        allowLatest,
        allowedInsecure,
        maxBlobBytes,
        d,
        connectTimeout,
        cacheDir,
        cacheMaxBytes,
        chunkBytes);
  }

  public OciOptions withCache(@Nullable Path dir, long maxBytes) {
    return new OciOptions(
        allowLatest,
        allowedInsecure,
        maxBlobBytes,
        deadline,
        connectTimeout,
        dir,
        maxBytes,
        chunkBytes);
  }

  public OciOptions withChunkBytes(int bytes) {
    return new OciOptions(
        allowLatest,
        allowedInsecure,
        maxBlobBytes,
        deadline,
        connectTimeout,
        cacheDir,
        cacheMaxBytes,
        bytes);
  }

  /** True when {@code registry} ({@code host[:port]}) is to be spoken to over plain HTTP. */
  public boolean insecure(String registry) {
    String r = registry.toLowerCase(Locale.ROOT);
    String host =
        r.lastIndexOf(':') > 0 && !r.endsWith("]") ? r.substring(0, r.lastIndexOf(':')) : r;
    return allowedInsecure.contains(r) || allowedInsecure.contains(host);
  }
}
