package io.trellis.lattice;

import io.trellis.wasmbus.lattice.LatticeKeys;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where the lattice data lives and how long to wait for it. Build it with {@link #builder} (or
 * {@link #defaults}): every field but the prefix has a default.
 *
 * @param latticePrefix the lattice prefix; the bucket is {@code LATTICEDATA_{prefix}}
 * @param jsDomain JetStream domain of the bucket (PROTOCOL.md §9.4), or null for the local
 *     JetStream. A host on a leaf node sets the hub's domain to share the hub's lattice data.
 * @param requestTimeout timeout of each JetStream request (writes, bucket lookup, watch setup) and
 *     of a write's wait for its own change to reach the local view
 * @param loadTimeout how long {@link LatticeCache#connect} waits for the full initial view, and how
 *     long a resync may take before it is retried
 * @param watchCheckInterval how often the watch is checked against the stream's last sequence to
 *     detect a stalled watch or a recreated bucket; {@link Duration#ZERO} disables the check
 * @param replicas how many JetStream servers keep the bucket when it is created here (1 to 5;
 *     PROTOCOL.md §9.1 default 1); an existing bucket is adopted as it is
 */
public record LatticeCacheOptions(
    String latticePrefix,
    @Nullable String jsDomain,
    Duration requestTimeout,
    Duration loadTimeout,
    Duration watchCheckInterval,
    int replicas) {

  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(3);
  public static final Duration DEFAULT_LOAD_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_WATCH_CHECK_INTERVAL = Duration.ofSeconds(5);

  public LatticeCacheOptions {
    Objects.requireNonNull(latticePrefix, "latticePrefix");
    if (!latticePrefix.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException(
          "lattice prefix '"
              + latticePrefix
              + "' cannot be part of a bucket name (allowed: A-Z a-z 0-9 _ -)");
    }
    if (jsDomain != null && jsDomain.isBlank()) {
      jsDomain = null;
    }
    if (jsDomain != null && !jsDomain.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException(
          "JetStream domain '" + jsDomain + "' is not a valid domain");
    }
    requestTimeout = positive(requestTimeout, DEFAULT_REQUEST_TIMEOUT, "requestTimeout");
    loadTimeout = positive(loadTimeout, DEFAULT_LOAD_TIMEOUT, "loadTimeout");
    watchCheckInterval =
        watchCheckInterval == null ? DEFAULT_WATCH_CHECK_INTERVAL : watchCheckInterval;
    if (watchCheckInterval.isNegative()) {
      throw new IllegalArgumentException("watchCheckInterval must not be negative");
    }
    if (replicas < 1 || replicas > 5) {
      throw new IllegalArgumentException(
          "lattice bucket replicas must be 1 to 5 (JetStream's limit), got " + replicas);
    }
  }

  /** One replica (PROTOCOL.md §9.1). */
  public LatticeCacheOptions(
      String latticePrefix,
      @Nullable String jsDomain,
      Duration requestTimeout,
      Duration loadTimeout,
      Duration watchCheckInterval) {
    this(latticePrefix, jsDomain, requestTimeout, loadTimeout, watchCheckInterval, 1);
  }

  /** No domain, default timeouts. */
  public static LatticeCacheOptions defaults(String latticePrefix) {
    return builder(latticePrefix).build();
  }

  public static Builder builder(String latticePrefix) {
    return new Builder(latticePrefix);
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder(latticePrefix)
        .jsDomain(jsDomain)
        .requestTimeout(requestTimeout)
        .loadTimeout(loadTimeout)
        .watchCheckInterval(watchCheckInterval)
        .replicas(replicas);
  }

  /** {@code LATTICEDATA_{prefix}}. */
  public String bucketName() {
    return LatticeKeys.bucket(latticePrefix);
  }

  private static Duration positive(Duration d, Duration fallback, String name) {
    if (d == null) {
      return fallback;
    }
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
    return d;
  }

  /** Builder for {@link LatticeCacheOptions}. */
  public static final class Builder {
    private final String latticePrefix;
    private @Nullable String jsDomain;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration loadTimeout = DEFAULT_LOAD_TIMEOUT;
    private Duration watchCheckInterval = DEFAULT_WATCH_CHECK_INTERVAL;
    private int replicas = 1;

    private Builder(String latticePrefix) {
      this.latticePrefix = latticePrefix;
    }

    public Builder jsDomain(@Nullable String jsDomain) {
      this.jsDomain = jsDomain;
      return this;
    }

    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    public Builder loadTimeout(Duration loadTimeout) {
      this.loadTimeout = loadTimeout;
      return this;
    }

    public Builder watchCheckInterval(Duration watchCheckInterval) {
      this.watchCheckInterval = watchCheckInterval;
      return this;
    }

    /** Replicas of the bucket when it is created here (1 to 5). */
    public Builder replicas(int replicas) {
      this.replicas = replicas;
      return this;
    }

    public LatticeCacheOptions build() {
      return new LatticeCacheOptions(
          latticePrefix, jsDomain, requestTimeout, loadTimeout, watchCheckInterval, replicas);
    }
  }
}
