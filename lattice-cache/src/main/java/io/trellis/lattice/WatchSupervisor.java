package io.trellis.lattice;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import java.io.IOException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link LatticeView} equal to the bucket, across disconnects, server restarts, stalled
 * watches and recreated buckets, by running the watch in <i>generations</i>.
 *
 * <p>A generation is one {@code watchAll} (last value per key, then live changes). Until its
 * end-of-data it only collects a snapshot; at end-of-data the snapshot is reconciled against the
 * view (events for every difference, phantoms dropped) and the generation goes live (that half
 * lives in {@link GenerationApplier}; this class decides when generations start). A new generation
 * starts at connect, after every reconnect, when the periodic check finds the watch stalled or the
 * stream's sequence going backwards, when a load does not finish in time, and on request. Entries
 * of superseded generations are discarded, so an old watch that jnats is still resetting in the
 * background can never write into the view.
 *
 * <p>Threads: all view changes, snapshot handling and listener calls run on one event thread, in
 * the order the watch delivered them; watch setup, retries and checks run on one control thread,
 * because they block on JetStream requests.
 */
final class WatchSupervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WatchSupervisor.class);
  private static final long MAX_BACKOFF_MILLIS = 2000;

  private final Connection nc;
  private final KeyValue kv;
  private final KeyValueManagement kvm;
  private final LatticeCacheOptions options;
  private final String where;
  private final GenerationApplier applier;
  private final StoreHealth health;
  private final ExecutorService events;
  private final ScheduledExecutorService control;
  private final ConnectionListener connectionListener = this::onConnectionEvent;

  private final AtomicLong generations = new AtomicLong();
  private final AtomicBoolean resyncQueued = new AtomicBoolean();
  private final Queue<CompletableFuture<Void>> requested = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;
  // control thread only (watch: written there, read once more by close())
  private volatile @Nullable NatsKeyValueWatchSubscription watch;
  private long backoffMillis;
  private long attemptEpoch;
  private final StallDetector stallDetector = new StallDetector();

  WatchSupervisor(
      Connection nc,
      BucketBinder.Bound bound,
      LatticeCacheOptions options,
      String where,
      LatticeView view,
      EventDispatcher dispatcher,
      AppliedProgress progress,
      StoreHealth health) {
    this.nc = nc;
    this.kv = bound.kv();
    this.kvm = bound.kvm();
    this.options = options;
    this.where = where;
    this.applier = new GenerationApplier(where, view, dispatcher, progress, health);
    this.health = health;
    String bucket = options.bucketName();
    this.events = Executors.newSingleThreadExecutor(r -> thread(r, "lattice-events-" + bucket));
    this.control =
        Executors.newSingleThreadScheduledExecutor(r -> thread(r, "lattice-watch-" + bucket));
  }

  private static Thread thread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Registers for connection events, starts the periodic check and the first generation. */
  CompletableFuture<Void> start() {
    nc.addConnectionListener(connectionListener);
    Duration every = options.watchCheckInterval();
    if (!every.isZero()) {
      control.scheduleWithFixedDelay(
          this::probeSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }
    return requestResync("initial load");
  }

  /** True when the current generation has reconciled and is applying live changes. */
  boolean isLive() {
    return applier.isLive();
  }

  /**
   * Starts a new generation (coalescing requests that arrive before it starts).
   *
   * @return completes when a generation started after this call is live
   */
  CompletableFuture<Void> requestResync(String reason) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    if (closed) {
      f.completeExceptionally(closedException());
      return f;
    }
    requested.add(f);
    if (closed) { // close() may have drained the queue just before the add
      requested.remove(f);
      f.completeExceptionally(closedException());
      return f;
    }
    if (resyncQueued.compareAndSet(false, true)) {
      submit(
          control,
          () -> {
            resyncQueued.set(false);
            for (CompletableFuture<Void> r; (r = requested.poll()) != null; ) {
              applier.awaitGeneration(generations.get() + 1, r);
            }
            attemptEpoch++;
            attempt(reason);
          });
    }
    return f;
  }

  private void onConnectionEvent(Connection conn, ConnectionListener.Events type) {
    switch (type) {
      case RECONNECTED -> {
        LOG.info("NATS reconnected ({}); resyncing {}", conn.getConnectedUrl(), where);
        requestResync("reconnect to " + conn.getConnectedUrl());
      }
      case DISCONNECTED -> health.failed("NATS connection lost");
      default -> {}
    }
  }

  // ---- control thread ----

  private void attempt(String reason) {
    if (closed) {
      return;
    }
    if (nc.getStatus() != Connection.Status.CONNECTED) {
      health.failed("NATS connection is " + nc.getStatus());
      retryLater(reason, "NATS connection is " + nc.getStatus());
      return;
    }
    long floor;
    try {
      floor = streamLastSeq();
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      health.failed(StoreWriter.describe(e));
      retryLater(reason, StoreWriter.describe(e));
      return;
    }
    long gen = generations.incrementAndGet();
    GenerationApplier.Session s = new GenerationApplier.Session(gen, floor, reason);
    submit(events, () -> applier.begin(s)); // before any entry of the new watch
    stopWatch();
    try {
      watch = kv.watchAll(new GenerationWatcher(gen));
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      health.failed(StoreWriter.describe(e));
      retryLater(reason, "watch setup failed: " + StoreWriter.describe(e));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    control.schedule(
        () -> checkLoaded(gen), options.loadTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void retryLater(String reason, String why) {
    backoffMillis = backoffMillis == 0 ? 100 : Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
    LOG.debug(
        "resync of {} ({}) not possible yet: {}; retrying in {} ms",
        where,
        reason,
        why,
        backoffMillis);
    long epoch = attemptEpoch;
    control.schedule(
        () -> {
          if (epoch == attemptEpoch) {
            attempt(reason);
          }
        },
        backoffMillis,
        TimeUnit.MILLISECONDS);
  }

  private void checkLoaded(long gen) {
    GenerationApplier.Session s = applier.current();
    if (!closed && s != null && s.gen == gen && !s.live) {
      LOG.warn(
          "loading {} (generation {}, {}) did not finish within {} ms; starting over",
          where,
          gen,
          s.reason,
          options.loadTimeout().toMillis());
      attemptEpoch++;
      attempt(s.reason);
    }
  }

  /** A periodic task that throws is never run again, so nothing may escape. */
  private void probeSafely() {
    try {
      probe();
    } catch (RuntimeException e) {
      LOG.warn("watch check of {} failed unexpectedly", where, e);
    }
  }

  /** Compares the watch with the stream; see {@link StallDetector} for the rules. */
  private void probe() {
    GenerationApplier.Session s = applier.current();
    if (closed || s == null || !s.live || nc.getStatus() != Connection.Status.CONNECTED) {
      stallDetector.reset();
      return;
    }
    long seenBefore = s.seen;
    long last;
    try {
      last = streamLastSeq();
      health.ok();
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      health.failed(StoreWriter.describe(e));
      LOG.debug("watch check of {} failed: {}", where, StoreWriter.describe(e));
      return;
    }
    long seenAfter = s.seen;
    switch (stallDetector.check(s.gen, seenBefore, last, seenAfter)) {
      case RECREATED ->
          requestResync(
              "stream sequence went back from "
                  + seenBefore
                  + " to "
                  + last
                  + " (bucket recreated?)");
      case STALLED -> {
        LOG.warn(
            "watch of {} is stalled at sequence {} while the stream is at {}; resyncing",
            where,
            seenAfter,
            last);
        requestResync("stalled watch");
      }
      case OK -> {}
    }
  }

  private long streamLastSeq() throws IOException, JetStreamApiException {
    return kvm.getStatus(options.bucketName())
        .getBackingStreamInfo()
        .getStreamState()
        .getLastSequence();
  }

  private void stopWatch() {
    NatsKeyValueWatchSubscription w = watch;
    watch = null;
    if (w != null) {
      try {
        w.unsubscribe();
      } catch (RuntimeException e) {
        LOG.debug("unsubscribing the old watch of {} failed: {}", where, e.toString());
      }
    }
  }

  // ---- watch callbacks (jnats dispatcher thread) → event thread ----

  private final class GenerationWatcher implements KeyValueWatcher {
    private final long gen;

    GenerationWatcher(long gen) {
      this.gen = gen;
    }

    @Override
    public void watch(KeyValueEntry entry) {
      KvRecord rec = KvRecord.of(entry);
      submit(events, () -> applier.onEntry(gen, rec));
    }

    @Override
    public void endOfData() {
      submit(
          events,
          () -> {
            applier.onEndOfData(gen);
            if (applier.isLive()) {
              submit(control, () -> backoffMillis = 0);
            }
          });
    }
  }

  // ---- lifecycle ----

  private static void submit(ExecutorService executor, Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      // closed: nothing to do any more
    }
  }

  private LatticeStoreUnavailableException closedException() {
    return new LatticeStoreUnavailableException("lattice cache for " + where + " is closed");
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    nc.removeConnectionListener(connectionListener);
    control.shutdownNow();
    try {
      control.awaitTermination(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stopWatch();
    events.shutdownNow();
    for (CompletableFuture<Void> f; (f = requested.poll()) != null; ) {
      f.completeExceptionally(closedException());
    }
    applier.failPending(closedException());
  }
}
