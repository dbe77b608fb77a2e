package io.trellis.apps.reconcile;

import io.nats.client.Connection;
import io.trellis.apps.AppStatus;
import io.trellis.apps.Manifest;
import io.trellis.apps.StatusInfo;
import io.trellis.apps.StatusType;
import io.trellis.apps.store.AppStore;
import io.trellis.apps.store.AppStoreException;
import io.trellis.apps.store.AppliedRecord;
import io.trellis.apps.store.StoredApp;
import io.trellis.ctl.CtlClient;
import io.trellis.wasmbus.LatticeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the lattice matching the deployed manifests (PROTOCOL.md §15.4). One thread runs the
 * passes: after events (a short debounce takes a burst at once) and at least every {@code
 * reconcileEvery}. Only while {@code leading} says this reconciler holds the lease does it observe
 * the lattice and send commands; a follower does nothing but wait.
 */
public final class Reconciler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  private final AppStore store;
  private final String id;
  private final ReconcilerSettings settings;
  private final BooleanSupplier leading;
  private final Clock clock;
  private final Expectations expectations = new Expectations();
  private final Failures failures = new Failures();
  private final LatticeObserver observer;
  private final CommandSender sender;
  private final LinkedBlockingQueue<Boolean> signal = new LinkedBlockingQueue<>(1);
  private final Thread thread;
  private final Map<String, Optional<StoredApp>> apps = new HashMap<>();
  private final Map<String, AppliedRecord> applied = new HashMap<>();
  private final Map<String, AppStatus> written = new HashMap<>();
  private final Map<String, StatusType> lastStatus = new ConcurrentHashMap<>();
  private final AtomicLong passes = new AtomicLong();
  private final AtomicLong commandsSent = new AtomicLong();
  private final AtomicLong commandsAccepted = new AtomicLong();
  private volatile boolean wantActive;
  private volatile boolean appsDirty = true;
  private volatile boolean closed;
  private @Nullable AutoCloseable watch;
  private Instant nextResync = Instant.EPOCH;

  /**
   * @param id this reconciler's id, written into statuses
   * @param leading whether this reconciler may act now (the lease check)
   */
  public Reconciler(
      AppStore store,
      CtlClient ctl,
      Connection nc,
      String lattice,
      String id,
      ReconcilerSettings settings,
      BooleanSupplier leading) {
    this.store = store;
    this.id = id;
    this.settings = settings;
    this.leading = leading;
    this.clock = Clock.systemUTC();
    this.observer =
        new LatticeObserver(
            ctl, nc, lattice, settings, failures, expectations, this::trigger, clock);
    this.sender = new CommandSender(ctl, expectations, failures, settings, leading, clock);
    this.thread = Thread.ofPlatform().daemon().name("trellis-reconciler").unstarted(this::loop);
    thread.start();
  }

  /** Leadership changed (from the election): start or stop observing and acting. */
  public void leadership(boolean leader) {
    wantActive = leader;
    trigger();
  }

  /** Asks for a pass soon. */
  public void trigger() {
    signal.offer(Boolean.TRUE);
  }

  private void loop() {
    while (!closed) {
      try {
        Boolean s = signal.poll(waitMillis(), TimeUnit.MILLISECONDS);
        if (closed) {
          break;
        }
        if (s != null) {
          Thread.sleep(settings.debounce().toMillis());
          signal.clear();
        }
        switchActivity();
        if (observer.active() && leading.getAsBoolean()) {
          pass();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warn("reconciliation pass failed: {}", e.toString(), e);
      }
    }
  }

  /**
   * Until the next periodic pass, or just after the moment the next silent host is to be declared
   * lost: a dead host is noticed when its time is up, not at the next period.
   */
  private long waitMillis() {
    long wait = settings.reconcileEvery().toMillis();
    if (observer.active()) {
      Instant deadline = observer.nextLostDeadline();
      if (deadline != null) {
        long until = Duration.between(clock.instant(), deadline).toMillis() + 20;
        wait = Math.max(20, Math.min(wait, until));
      }
    }
    return wait;
  }

  private void switchActivity() {
    boolean want = wantActive && leading.getAsBoolean();
    if (want && !observer.active()) {
      LOG.info("reconciler {} is taking over the lattice", id);
      expectations.clear();
      failures.clearAll();
      written.clear();
      appsDirty = true;
      try {
        watch =
            store.watch(
                name -> {
                  appsDirty = true;
                  trigger();
                });
      } catch (AppStoreException e) {
        LOG.warn("cannot watch the application store: {}", e.getMessage());
      }
      observer.activate();
      nextResync = clock.instant().plus(settings.resyncEvery());
    } else if (!want && observer.active()) {
      LOG.info("reconciler {} stops acting", id);
      observer.deactivate();
      closeWatch();
    }
  }

  private void closeWatch() {
    if (watch != null) {
      try {
        watch.close();
      } catch (Exception e) {
        LOG.debug("closing the store watch: {}", e.toString());
      }
      watch = null;
    }
  }

  // ------------------------------------------------------------------ one pass

  private void pass() {
    Instant now = clock.instant();
    if (!now.isBefore(nextResync)) {
      observer.resync();
      appsDirty = true;
      nextResync = now.plus(settings.resyncEvery());
    } else {
      observer.refreshInventories();
    }
    observer.reap();
    if (appsDirty) {
      appsDirty = false;
      reloadApps();
    }
    LatticeSnapshot snap = observer.snapshot();
    List<Command> commands = new ArrayList<>();
    Set<String> removals = new HashSet<>();
    TreeSet<String> names = new TreeSet<>(apps.keySet());
    names.addAll(applied.keySet());
    for (String name : names) {
      try {
        PlanContext ctx = planApp(name, snap);
        commands.addAll(ctx.commands);
        removals.addAll(ctx.removals);
      } catch (LatticeException e) {
        LOG.warn("planning application {} failed: {}", name, e.getMessage());
      }
    }
    expectations.retainRemovals(removals);
    lastStatus.keySet().retainAll(apps.keySet());
    passes.incrementAndGet();
    if (!commands.isEmpty() && leading.getAsBoolean()) {
      int ok = sender.send(commands);
      commandsSent.addAndGet(commands.size());
      commandsAccepted.addAndGet(ok);
      LOG.debug("sent {} command(s), {} accepted", commands.size(), ok);
    }
  }

  /** Counts for metrics; safe to call from any thread. */
  public ReconcilerStats stats() {
    Map<StatusType, Integer> byStatus = new EnumMap<>(StatusType.class);
    if (leading.getAsBoolean()) {
      lastStatus.values().forEach(t -> byStatus.merge(t, 1, Integer::sum));
    }
    return new ReconcilerStats(
        leading.getAsBoolean(), passes.get(), commandsSent.get(), commandsAccepted.get(), byStatus);
  }

  private void reloadApps() {
    try {
      apps.clear();
      for (String name : store.appNames()) {
        apps.put(name, store.app(name).map(v -> v.value()));
      }
      applied.clear();
      for (String name : store.appliedNames()) {
        store.applied(name).ifPresent(r -> applied.put(name, r));
      }
    } catch (AppStoreException e) {
      appsDirty = true;
      LOG.warn("cannot read the applications: {}", e.getMessage());
    }
  }

  private PlanContext planApp(String name, LatticeSnapshot snap) {
    StoredApp app = apps.getOrDefault(name, Optional.empty()).orElse(null);
    AppliedRecord rec = applied.get(name);
    Manifest m = app == null ? null : app.deployed().orElse(null);
    PlanContext ctx =
        new PlanContext(
            name,
            snap,
            expectations,
            failures,
            snap.now(),
            settings.actorWait(),
            settings.providerWait());
    if (m != null) {
      if (rec == null) {
        rec = new AppliedRecord(m.version(), m.source(), List.of());
        putApplied(name, rec);
      }
      AppPlanner.Plan plan = AppPlanner.plan(ctx, m);
      AppStatus status = plan.status();
      if (plan.deployed()) {
        int stale = Cleanup.owned(ctx, false);
        int oldLinks = Cleanup.links(ctx, rec.links(), plan.links());
        if (stale == 0 && oldLinks == 0) {
          if (!rec.version().equals(m.version()) || !rec.links().equals(plan.links())) {
            putApplied(name, new AppliedRecord(m.version(), m.source(), plan.links()));
          }
        } else {
          status =
              withInfo(
                  status,
                  StatusInfo.deployed(
                      "removing "
                          + (stale + oldLinks)
                          + " instance(s), provider(s) and link(s) this version no longer has"));
        }
      } else {
        List<AppliedRecord.PutLink> union = new ArrayList<>(rec.links());
        plan.links().stream().filter(l -> !union.contains(l)).forEach(union::add);
        if (union.size() != rec.links().size()) {
          putApplied(name, rec.withLinks(union));
        }
        status = withLostNote(name, status);
      }
      writeStatus(name, status);
    } else if (rec != null) {
      int left =
          Cleanup.owned(ctx, true)
              + Cleanup.links(ctx, rec.links(), List.of())
              + expectations.inFlight(name, snap.now());
      if (left == 0) {
        try {
          store.deleteApplied(name);
          applied.remove(name);
          expectations.forgetApp(name);
        } catch (AppStoreException e) {
          LOG.warn("cannot delete the applied record of {}: {}", name, e.getMessage());
        }
        if (app != null) {
          writeStatus(
              name,
              new AppStatus(
                  app.currentVersion(), StatusInfo.undeployed(""), List.of(), null, null));
        } else {
          try {
            store.deleteStatus(name);
            written.remove(name);
          } catch (AppStoreException e) {
            LOG.debug("cannot delete the status of {}: {}", name, e.getMessage());
          }
        }
      } else {
        String version = app == null ? rec.version() : app.currentVersion();
        writeStatus(
            name,
            new AppStatus(
                version,
                StatusInfo.undeployed(
                    "removing " + left + " instance(s), provider(s) and link(s) it started"),
                List.of(),
                null,
                null));
      }
    }
    return ctx;
  }

  private AppStatus withLostNote(String name, AppStatus s) {
    if (s.info().type() != StatusType.RECONCILING) {
      return s;
    }
    for (LatticeObserver.Lost l : observer.recentlyLost()) {
      if (l.apps().contains(name)) {
        return withInfo(
            s,
            StatusInfo.reconciling(
                s.info().message()
                    + "; host "
                    + l.host()
                    + " was declared lost at "
                    + l.at().truncatedTo(ChronoUnit.SECONDS)
                    + ", its instances are being placed elsewhere"));
      }
    }
    return s;
  }

  private static AppStatus withInfo(AppStatus s, StatusInfo info) {
    return new AppStatus(s.version(), info, s.components(), s.updatedAt(), s.reconciler());
  }

  private void putApplied(String name, AppliedRecord rec) {
    try {
      store.putApplied(name, rec);
      applied.put(name, rec);
    } catch (AppStoreException e) {
      LOG.warn("cannot write the applied record of {}: {}", name, e.getMessage());
    }
  }

  private void writeStatus(String name, AppStatus status) {
    lastStatus.put(name, status.info().type());
    AppStatus bare = status.withoutStamp();
    if (bare.equals(written.get(name)) || !leading.getAsBoolean()) {
      return;
    }
    try {
      store.putStatus(
          name,
          new AppStatus(status.version(), status.info(), status.components(), clock.instant(), id));
      written.put(name, bare);
      LOG.info(
          "application {} {}: {} {}",
          name,
          status.version(),
          status.info().type().wire(),
          status.info().message());
    } catch (AppStoreException e) {
      LOG.warn("cannot write the status of {}: {}", name, e.getMessage());
    }
  }

  @Override
  public void close() {
    closed = true;
    trigger();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    observer.close();
    closeWatch();
    sender.close();
  }
}
