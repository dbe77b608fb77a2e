package io.trellis.apps.store;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.trellis.wasmbus.jetstream.KvCompareAndSet;
import java.io.IOException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Bind-or-create for the application buckets (PROTOCOL.md §15.2). */
public final class Buckets {
  static final int STREAM_NOT_FOUND = 10059;
  static final int STREAM_NAME_IN_USE = 10058;
  static final int SUBJECTS_OVERLAP = 10065;

  /** Manifests, statuses and applied records of lattice {@code lattice}. */
  public static String apps(String lattice) {
    return "TRELLIS_APPS_" + lattice;
  }

  /** The leader lease of lattice {@code lattice}. */
  public static String leader(String lattice) {
    return "TRELLIS_APPS_LEADER_" + lattice;
  }

  private Buckets() {}

  public static KeyValueOptions options(@Nullable String jsDomain, Duration timeout) {
    KeyValueOptions.Builder b = KeyValueOptions.builder().jsRequestTimeout(timeout);
    if (jsDomain != null && !jsDomain.isBlank()) {
      b.jsDomain(jsDomain);
    }
    return b.build();
  }

  /** {@link #bind(Connection, String, String, Duration, Duration, int)} with one replica. */
  public static KeyValue bind(
      Connection nc,
      String bucket,
      @Nullable String jsDomain,
      Duration timeout,
      @Nullable Duration ttl) {
    return bind(nc, bucket, jsDomain, timeout, ttl, 1);
  }

  /**
   * Binds to the bucket, creating it (history 1, file storage, {@code replicas} replicas, entries
   * expiring after {@code ttl} when not null) when it does not exist; losing a creation race is
   * fine, and an existing bucket is used as it is.
   *
   * @throws AppStoreException when JetStream cannot be reached or refuses (too few servers for the
   *     replicas, say)
   */
  public static KeyValue bind(
      Connection nc,
      String bucket,
      @Nullable String jsDomain,
      Duration timeout,
      @Nullable Duration ttl,
      int replicas) {
    KeyValueOptions kvo = options(jsDomain, timeout);
    try {
      KeyValueManagement kvm = nc.keyValueManagement(kvo);
      try {
        kvm.getStatus(bucket);
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
          throw e;
        }
        KeyValueConfiguration.Builder c =
            KeyValueConfiguration.builder()
                .name(bucket)
                .maxHistoryPerKey(1)
                .storageType(StorageType.File)
                .replicas(replicas);
        if (ttl != null) {
          c.ttl(ttl);
        }
        try {
          kvm.create(c.build());
        } catch (JetStreamApiException race) {
          if (race.getApiErrorCode() != STREAM_NAME_IN_USE
              && race.getApiErrorCode() != SUBJECTS_OVERLAP) {
            throw race;
          }
        }
      }
      return nc.keyValue(bucket, kvo);
    } catch (IOException | JetStreamApiException | IllegalStateException e) {
      throw new AppStoreException(
          "cannot bind or create bucket "
              + bucket
              + (replicas > 1 ? " with " + replicas + " replicas" : "")
              + (jsDomain == null ? "" : " in JetStream domain " + jsDomain)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Compare-and-set writes on a bound bucket, exact also when an operator made it replicated
   * (PROTOCOL.md §5.3.1).
   *
   * @throws AppStoreException when JetStream cannot be reached or refuses
   */
  public static KvCompareAndSet compareAndSet(
      Connection nc, KeyValue kv, @Nullable String jsDomain, Duration timeout) {
    try {
      return KvCompareAndSet.bind(nc, kv, options(jsDomain, timeout));
    } catch (IOException | JetStreamApiException | IllegalStateException e) {
      throw new AppStoreException(
          "cannot read the configuration of bucket " + kv.getBucketName() + ": " + e.getMessage(),
          e);
    }
  }
}
