package io.trellis.lattice;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event-thread half of {@link WatchSupervisor}: feeds what the current watch generation
 * delivers into the {@link LatticeView}. Until end-of-data it only collects the snapshot; then it
 * reconciles, goes live and applies each change as it comes. Entries tagged with any other
 * generation are dropped.
 *
 * <p>Every method except {@link #isLive()}, {@link #current()} and {@link #awaitGeneration} runs on
 * the single event thread; listeners are called there, after the view changed.
 */
final class GenerationApplier {
  private static final Logger LOG = LoggerFactory.getLogger(GenerationApplier.class);

  /** One generation's state; the snapshot belongs to the event thread. */
  static final class Session {
    final long gen;
    final String reason;
    final long startNanos = System.nanoTime();
    @Nullable Map<String, KvRecord> snapshot = new HashMap<>();
    volatile boolean live;

    /** Highest stream sequence the view is complete up to (at least the sequence at start). */
    volatile long seen;

    Session(long gen, long floor, String reason) {
      this.gen = gen;
      this.seen = floor;
      this.reason = reason;
    }
  }

  private record PendingSync(long minGen, CompletableFuture<Void> future) {}

  private final String where;
  private final LatticeView view;
  private final EventDispatcher dispatcher;
  private final AppliedProgress progress;
  private final StoreHealth health;
  private final Queue<PendingSync> pending = new ConcurrentLinkedQueue<>();
  private volatile @Nullable Session session;
  private boolean loadedOnce;

  GenerationApplier(
      String where,
      LatticeView view,
      EventDispatcher dispatcher,
      AppliedProgress progress,
      StoreHealth health) {
    this.where = where;
    this.view = view;
    this.dispatcher = dispatcher;
    this.progress = progress;
    this.health = health;
  }

  /** The current generation, or null before the first. Readable from any thread. */
  @Nullable Session current() {
    return session;
  }

  boolean isLive() {
    Session s = session;
    return s != null && s.live;
  }

  /** Completes {@code f} once a generation numbered {@code minGen} or later is live. */
  void awaitGeneration(long minGen, CompletableFuture<Void> f) {
    pending.add(new PendingSync(minGen, f));
  }

  /** Fails every waiting future (the cache is closing). */
  void failPending(RuntimeException e) {
    for (PendingSync p; (p = pending.poll()) != null; ) {
      p.future().completeExceptionally(e);
    }
  }

  void begin(Session s) {
    session = s;
  }

  void onEntry(long gen, KvRecord rec) {
    Session s = session;
    if (s == null || s.gen != gen) {
      return; // superseded generation
    }
    s.seen = Math.max(s.seen, rec.revision());
    if (!s.live) {
      s.snapshot.merge(rec.key(), rec, (a, b) -> b.revision() >= a.revision() ? b : a);
      return;
    }
    List<LatticeEvent> changes = view.apply(rec);
    progress.advance(s.seen);
    dispatcher.dispatch(changes);
  }

  void onEndOfData(long gen) {
    Session s = session;
    if (s == null || s.gen != gen || s.live) {
      return; // superseded, or a duplicate end-of-data
    }
    int keys = s.snapshot.size();
    List<LatticeEvent> changes = view.reconcile(s.snapshot);
    s.snapshot = null;
    s.live = true;
    progress.advance(s.seen);
    health.ok();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s.startNanos);
    if (!loadedOnce) {
      loadedOnce = true;
      LOG.info("loaded {} keys of {} in {} ms", keys, where, millis);
    } else {
      LOG.info(
          "resynced {} after {}: {} keys, {} changes, {} ms",
          where,
          s.reason,
          keys,
          changes.size(),
          millis);
    }
    dispatcher.dispatch(changes);
    pending.removeIf(
        p -> {
          if (p.minGen() <= gen) {
            p.future().complete(null);
            return true;
          }
          return false;
        });
  }
}
