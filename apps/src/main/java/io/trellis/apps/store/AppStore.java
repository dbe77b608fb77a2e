package io.trellis.apps.store;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatchOption;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import io.trellis.apps.AppStatus;
import io.trellis.wasmbus.jetstream.KvCompareAndSet;
import io.trellis.wasmbus.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The applications of one lattice in the JetStream KV bucket {@code TRELLIS_APPS_{lattice}}
 * (PROTOCOL.md §15.2): {@code manifest.{name}} ({@link StoredApp}), {@code status.{name}} ({@link
 * AppStatus}, written by the leading reconciler) and {@code applied.{name}} ({@link
 * AppliedRecord}). Writes of manifests compare and set on the revision read. Thread-safe.
 */
public final class AppStore {
  /** JetStream's "wrong last sequence": a compare-and-set lost. */
  static final int WRONG_LAST_SEQUENCE = 10071;

  private static final String MANIFEST = "manifest.";
  private static final String STATUS = "status.";
  private static final String APPLIED = "applied.";

  private final KeyValue kv;
  private final KvCompareAndSet cas;
  private final String bucket;

  private AppStore(KvCompareAndSet cas, String bucket) {
    this.kv = cas.keyValue();
    this.cas = cas;
    this.bucket = bucket;
  }

  /**
   * Binds to (or creates) the lattice's bucket.
   *
   * @throws AppStoreException when JetStream is not available
   */
  public static AppStore open(
      Connection nc, String lattice, @Nullable String jsDomain, Duration timeout) {
    return open(nc, lattice, jsDomain, timeout, 1);
  }

  /**
   * Like {@link #open(Connection, String, String, Duration)}, creating it with {@code replicas}.
   */
  public static AppStore open(
      Connection nc, String lattice, @Nullable String jsDomain, Duration timeout, int replicas) {
    String bucket = Buckets.apps(lattice);
    KeyValue kv = Buckets.bind(nc, bucket, jsDomain, timeout, null, replicas);
    return new AppStore(Buckets.compareAndSet(nc, kv, jsDomain, timeout), bucket);
  }

  public String bucket() {
    return bucket;
  }

  // ------------------------------------------------------------------ manifests

  public Optional<Versioned<StoredApp>> app(String name) {
    return entry(MANIFEST + name)
        .map(e -> new Versioned<>(StoredApp.fromJson(name, e.getValue()), e.getRevision()));
  }

  /**
   * Writes the app: creates the key when {@code revision} is 0, else only over that revision.
   *
   * @throws AppStoreException.Conflict when somebody else wrote it meanwhile
   */
  public long putApp(StoredApp app, long revision) {
    String key = MANIFEST + app.name();
    try {
      return revision == 0
          ? cas.create(key, app.toJson())
          : cas.update(key, app.toJson(), revision);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
        throw new AppStoreException.Conflict(key, e);
      }
      throw failure("write " + key, e);
    } catch (IOException | IllegalStateException e) {
      throw failure("write " + key, e);
    }
  }

  /** Deletes the app's manifests (only over {@code revision}). */
  public void deleteApp(String name, long revision) {
    String key = MANIFEST + name;
    try {
      cas.delete(key, revision);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
        throw new AppStoreException.Conflict(key, e);
      }
      throw failure("delete " + key, e);
    } catch (IOException | IllegalStateException e) {
      throw failure("delete " + key, e);
    }
  }

  /** The names of every stored application, sorted. */
  public List<String> appNames() {
    return names(MANIFEST);
  }

  // ------------------------------------------------------------------ status

  public Optional<AppStatus> status(String name) {
    return entry(STATUS + name)
        .map(
            e ->
                AppStatus.fromJson(
                    Json.readObject(
                        e.getValue(),
                        (why, cause) ->
                            new AppStoreException("status of " + name + " is " + why, cause))));
  }

  public void putStatus(String name, AppStatus status) {
    put(STATUS + name, Json.bytes(status.toJsonNode()));
  }

  public void deleteStatus(String name) {
    delete(STATUS + name);
  }

  // ------------------------------------------------------------------ applied records

  public Optional<AppliedRecord> applied(String name) {
    return entry(APPLIED + name).map(e -> AppliedRecord.fromJson(e.getValue()));
  }

  public void putApplied(String name, AppliedRecord record) {
    put(APPLIED + name, record.toJson());
  }

  public void deleteApplied(String name) {
    delete(APPLIED + name);
  }

  /** Names of applications that have an applied record (deployed now or still being removed). */
  public List<String> appliedNames() {
    return names(APPLIED);
  }

  // ------------------------------------------------------------------ watching

  /**
   * Calls {@code onChange} with the application name whenever its manifest or applied record
   * changes (on a jnats thread; keep it short). Close the result to stop.
   */
  public AutoCloseable watch(Consumer<String> onChange) {
    KeyValueWatcher w =
        new KeyValueWatcher() {
          @Override
          public void watch(KeyValueEntry e) {
            String key = e.getKey();
            int dot = key.indexOf('.');
            if (dot > 0 && !key.startsWith(STATUS)) {
              onChange.accept(key.substring(dot + 1));
            }
          }

          @Override
          public void endOfData() {}
        };
    try {
      // one watch over the bucket: several filter subjects need nats-server 2.10
      NatsKeyValueWatchSubscription sub =
          kv.watchAll(w, KeyValueWatchOption.UPDATES_ONLY, KeyValueWatchOption.META_ONLY);
      return sub::unsubscribe;
    } catch (IOException
        | JetStreamApiException
        | IllegalStateException
        | IllegalArgumentException e) {
      throw failure("watch " + bucket, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("watch " + bucket, e);
    }
  }

  // ------------------------------------------------------------------ plumbing

  private Optional<KeyValueEntry> entry(String key) {
    try {
      KeyValueEntry e = kv.get(key);
      if (e == null
          || e.getOperation() != KeyValueOperation.PUT
          || e.getValue() == null
          || e.getValue().length == 0) {
        return Optional.empty();
      }
      return Optional.of(e);
    } catch (IOException | JetStreamApiException | IllegalStateException e) {
      throw failure("read " + key, e);
    }
  }

  private void put(String key, byte[] value) {
    try {
      kv.put(key, value);
    } catch (IOException | JetStreamApiException | IllegalStateException e) {
      throw failure("write " + key, e);
    }
  }

  private void delete(String key) {
    try {
      kv.delete(key);
    } catch (IOException | JetStreamApiException | IllegalStateException e) {
      throw failure("delete " + key, e);
    }
  }

  private List<String> names(String prefix) {
    try {
      List<String> out = new ArrayList<>();
      for (String k : kv.keys(prefix + ">")) {
        out.add(k.substring(prefix.length()));
      }
      out.sort(null);
      return out;
    } catch (IOException | JetStreamApiException | IllegalStateException e) {
      throw failure("list " + prefix + "* in " + bucket, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("list " + prefix + "* in " + bucket, e);
    }
  }

  private AppStoreException failure(String what, Exception e) {
    return new AppStoreException(
        "cannot " + what + " in bucket " + bucket + ": " + e.getMessage(), e);
  }
}
