package io.trellis.lattice;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.StorageType;
import java.io.IOException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bind-then-create for {@code LATTICEDATA_{prefix}} (PROTOCOL.md §9.1). An existing bucket is
 * adopted whatever its configuration (another host or tool made it; refusing would split the
 * lattice); a missing one is created with the OTP host's configuration, which is exactly what a
 * standard KV client creates for history 1 and file storage. Losing a creation race to another host
 * counts as success, as in the OTP host.
 */
final class BucketBinder {
  private static final Logger LOG = LoggerFactory.getLogger(BucketBinder.class);

  static final int STREAM_NOT_FOUND = 10059;
  static final int STREAM_NAME_IN_USE = 10058;
  static final int SUBJECTS_OVERLAP = 10065;
  // no suitable peers, insufficient resources, replicas not supported (not clustered)
  static final Set<Integer> PLACEMENT_ERRORS = Set.of(10005, 10023, 10074);

  /** The bound bucket and the handles to use it. */
  record Bound(KeyValue kv, KeyValueManagement kvm) {}

  private BucketBinder() {}

  static KeyValueOptions kvOptions(LatticeCacheOptions o) {
    KeyValueOptions.Builder b = KeyValueOptions.builder().jsRequestTimeout(o.requestTimeout());
    if (o.jsDomain() != null) {
      b.jsDomain(o.jsDomain());
    }
    return b.build();
  }

  /** The PROTOCOL.md §9.1 configuration. */
  static KeyValueConfiguration specConfiguration(String bucket) {
    return specConfiguration(bucket, 1);
  }

  /** The PROTOCOL.md §9.1 configuration with {@code replicas} copies (the spec's is 1). */
  static KeyValueConfiguration specConfiguration(String bucket, int replicas) {
    return KeyValueConfiguration.builder()
        .name(bucket)
        .maxHistoryPerKey(1)
        .storageType(StorageType.File)
        .replicas(replicas)
        .build();
  }

  /**
   * @throws IOException or JetStreamApiException when JetStream cannot be reached or refuses; the
   *     caller maps them to the public exception
   */
  static Bound bind(Connection nc, LatticeCacheOptions o)
      throws IOException, JetStreamApiException {
    String bucket = o.bucketName();
    KeyValueOptions kvo = kvOptions(o);
    KeyValueManagement kvm = nc.keyValueManagement(kvo);
    KeyValueStatus status;
    boolean created = false;
    try {
      status = kvm.getStatus(bucket);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
        throw e;
      }
      try {
        status = kvm.create(specConfiguration(bucket, o.replicas()));
        created = true;
        LOG.info(
            "created bucket {}{} (history 1, file storage, {} replica{})",
            bucket,
            domainNote(o),
            o.replicas(),
            o.replicas() == 1 ? "" : "s");
      } catch (JetStreamApiException race) {
        if (o.replicas() > 1 && PLACEMENT_ERRORS.contains(race.getApiErrorCode())) {
          throw new IOException(
              "cannot create bucket "
                  + bucket
                  + " with "
                  + o.replicas()
                  + " replicas: JetStream cannot place that many copies (fewer servers in its cluster?)"
                  + " (set TRELLIS_LATTICE_REPLICAS / lattice_replicas to at most their number): "
                  + race.getMessage(),
              race);
        }
        if (race.getApiErrorCode() != STREAM_NAME_IN_USE
            && race.getApiErrorCode() != SUBJECTS_OVERLAP) {
          throw race;
        }
        LOG.debug(
            "bucket {} was created concurrently by someone else: {}", bucket, race.getMessage());
        status = kvm.getStatus(bucket);
      }
    }
    if (!created) {
      describeAdoption(bucket, o, status);
    }
    return new Bound(nc.keyValue(bucket, kvo), kvm);
  }

  private static void describeAdoption(String bucket, LatticeCacheOptions o, KeyValueStatus s) {
    if (s.getReplicas() < o.replicas()) {
      LOG.warn(
          "bucket {}{} exists with {} replica(s), fewer than the {} configured; it is used as it"
              + " is (raise it with: nats stream edit KV_{} --replicas {})",
          bucket,
          domainNote(o),
          s.getReplicas(),
          o.replicas(),
          bucket,
          o.replicas());
    }
    if (s.getMaxHistoryPerKey() != 1 || s.getStorageType() != StorageType.File) {
      LOG.info(
          "adopting existing bucket {}{} with a configuration that differs from PROTOCOL.md §9.1 "
              + "(history {}, storage {}; expected: history 1, file); using it as is",
          bucket,
          domainNote(o),
          s.getMaxHistoryPerKey(),
          s.getStorageType());
    } else {
      LOG.debug("bound existing bucket {}{}", bucket, domainNote(o));
    }
  }

  static String domainNote(LatticeCacheOptions o) {
    return o.jsDomain() == null ? "" : " in JetStream domain " + o.jsDomain();
  }
}
