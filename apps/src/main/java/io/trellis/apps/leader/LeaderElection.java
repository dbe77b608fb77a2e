package io.trellis.apps.leader;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.trellis.apps.store.AppStoreException;
import io.trellis.apps.store.Buckets;
import io.trellis.wasmbus.jetstream.KvCompareAndSet;
import io.trellis.wasmbus.json.Json;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elects one reconciler per lattice through JetStream (PROTOCOL.md §15.5): the key {@code leader}
 * of the bucket {@code TRELLIS_APPS_LEADER_{lattice}}, whose entries expire after the lease ttl
 * (the bucket's max age). A candidate takes the lease with a create (only succeeds when the key is
 * absent, expired or deleted); the leader renews it with a compare-and-set on its revision. The
 * leader considers itself leader only until its last successful renewal's send time plus the ttl
 * minus a margin, so it stops acting before any other candidate can take the lease, even when it is
 * cut off from JetStream. Closing steps down at once (deletes the key), so a graceful stop hands
 * over without waiting for the ttl.
 */
public final class LeaderElection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);
  static final String KEY = "leader";

  private final KeyValue kv;
  private final KvCompareAndSet cas;
  private final String candidate;
  private final LeaseSettings settings;
  private final Consumer<Boolean> onChange;
  private final Clock clock;
  private final Thread thread;
  private final CountDownLatch stop = new CountDownLatch(1);
  private volatile long revision;
  private volatile Instant validUntil = Instant.EPOCH;
  private volatile boolean leader;

  private LeaderElection(
      KvCompareAndSet cas,
      String candidate,
      LeaseSettings settings,
      Consumer<Boolean> onChange,
      Clock clock) {
    this.kv = cas.keyValue();
    this.cas = cas;
    this.candidate = candidate;
    this.settings = settings;
    this.onChange = onChange;
    this.clock = clock;
    this.thread = Thread.ofPlatform().daemon().name("trellis-apps-leader").unstarted(this::run);
  }

  /**
   * Binds the lease bucket and starts campaigning.
   *
   * @param candidate this reconciler's id (its host id, or a generated one)
   * @param onChange called with true when this reconciler becomes leader and false when it stops
   *     being one, on the election thread
   * @throws AppStoreException when JetStream is not available
   */
  public static LeaderElection start(
      Connection nc,
      String lattice,
      @Nullable String jsDomain,
      String candidate,
      LeaseSettings settings,
      Consumer<Boolean> onChange) {
    return start(nc, lattice, jsDomain, candidate, settings, onChange, 1);
  }

  /** Like the other {@code start}, creating the lease bucket with {@code replicas} replicas. */
  public static LeaderElection start(
      Connection nc,
      String lattice,
      @Nullable String jsDomain,
      String candidate,
      LeaseSettings settings,
      Consumer<Boolean> onChange,
      int replicas) {
    KeyValue kv =
        Buckets.bind(
            nc, Buckets.leader(lattice), jsDomain, settings.renewEvery(), settings.ttl(), replicas);
    KvCompareAndSet cas = Buckets.compareAndSet(nc, kv, jsDomain, settings.renewEvery());
    LeaderElection e = new LeaderElection(cas, candidate, settings, onChange, Clock.systemUTC());
    e.thread.start();
    return e;
  }

  /** Reads who holds the lease now (for status replies), without taking part. */
  public static Optional<String> currentLeader(KeyValue kv) {
    try {
      KeyValueEntry e = kv.get(KEY);
      if (e == null || e.getOperation() != KeyValueOperation.PUT || e.getValue() == null) {
        return Optional.empty();
      }
      JsonNode n = Json.MAPPER.readTree(e.getValue());
      return Optional.of(n.path("id").asText("unknown"));
    } catch (IOException | JetStreamApiException | IllegalStateException e) {
      return Optional.empty();
    }
  }

  /** Who holds the lease now, as the bucket says. */
  public Optional<String> currentLeader() {
    return currentLeader(kv);
  }

  /** True while this reconciler holds a lease that cannot have expired yet: only then act. */
  public boolean isLeader() {
    return leader && clock.instant().isBefore(validUntil);
  }

  public String candidate() {
    return candidate;
  }

  private void run() {
    try {
      while (stop.getCount() > 0) {
        if (leader) {
          renew();
        } else {
          campaign();
        }
        long wait = (leader ? settings.renewEvery() : settings.pollEvery()).toMillis();
        if (stop.await(wait, TimeUnit.MILLISECONDS)) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private byte[] value() {
    return Json.bytes(
        Json.MAPPER
            .createObjectNode()
            .put("id", candidate)
            .put("since", clock.instant().toString()));
  }

  private void campaign() {
    Instant sent = clock.instant();
    try {
      revision = cas.create(KEY, value());
      validUntil = sent.plus(settings.ttl()).minus(settings.margin());
      leader = true;
      LOG.info(
          "reconciler {} is now the leader (lease {} ms)", candidate, settings.ttl().toMillis());
      notify(true);
    } catch (JetStreamApiException e) {
      // somebody holds the lease: the normal case for a follower
      LOG.trace("lease taken: {}", e.getMessage());
    } catch (IOException | IllegalStateException e) {
      LOG.debug("cannot reach the lease bucket: {}", e.toString());
    }
  }

  private void renew() {
    Instant sent = clock.instant();
    try {
      revision = cas.update(KEY, value(), revision);
      validUntil = sent.plus(settings.ttl()).minus(settings.margin());
    } catch (JetStreamApiException e) {
      // the key changed under us (expired and taken, or deleted): somebody else may lead now
      stepDown("the lease was taken over (" + e.getMessage() + ")");
    } catch (IOException | IllegalStateException e) {
      if (!clock.instant().isBefore(validUntil)) {
        stepDown("the lease could not be renewed before it could expire (" + e + ")");
      } else {
        LOG.warn("renewing the lease failed, retrying: {}", e.toString());
      }
    }
  }

  private void stepDown(String why) {
    leader = false;
    validUntil = Instant.EPOCH;
    LOG.warn("reconciler {} is no longer the leader: {}", candidate, why);
    notify(false);
  }

  private void notify(boolean isLeader) {
    try {
      onChange.accept(isLeader);
    } catch (RuntimeException e) {
      LOG.warn("leadership listener failed: {}", e.toString());
    }
  }

  /** Stops campaigning; a leader deletes its lease so another takes over at once. */
  @Override
  public void close() {
    stop.countDown();
    try {
      thread.join(settings.ttl().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (leader) {
      leader = false;
      validUntil = Instant.EPOCH;
      notify(false);
      try {
        cas.delete(KEY, revision);
        LOG.info("reconciler {} handed the lease back", candidate);
      } catch (IOException | JetStreamApiException | IllegalStateException e) {
        LOG.debug("could not delete the lease (it expires by itself): {}", e.toString());
      }
    }
  }
}
