package io.trellis.apps.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.trellis.apps.Ownership;
import io.trellis.apps.internal.Workers;
import io.trellis.ctl.CtlClient;
import io.trellis.ctl.CtlException;
import io.trellis.ctl.EventSubscription;
import io.trellis.ctl.LatticeEventMessage;
import io.trellis.wasmbus.ctl.HostInfo;
import io.trellis.wasmbus.ctl.HostInventory;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.subjects.Subjects;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's view of the lattice (PROTOCOL.md §15.4, §15.6): hosts from ping replies, liveness
 * signals, heartbeats and events; what each runs from its inventory, read again whenever an event
 * says it changed; links from the link events. Decides when a silent host is lost. Event handlers
 * only update maps and mark work; requests run on the reconciler's thread.
 */
final class LatticeObserver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LatticeObserver.class);

  /** A host declared lost: when, and which applications ran something on it. */
  record Lost(String host, Instant at, Set<String> apps) {}

  private final CtlClient ctl;
  private final Connection nc;
  private final String lattice;
  private final ReconcilerSettings settings;
  private final Failures failures;
  private final Expectations expectations;
  private final Runnable onChange;
  private final Clock clock;
  private final Map<String, HostState> hosts = new ConcurrentHashMap<>();
  private final Map<String, LinkDefinition> links = new ConcurrentHashMap<>();
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private final Map<String, Lost> lost = new ConcurrentHashMap<>();
  private final ExecutorService requests = Workers.pool("trellis-apps-inventory", 8);
  private @Nullable EventSubscription events;
  private @Nullable Dispatcher liveness;
  private volatile boolean active;

  LatticeObserver(
      CtlClient ctl,
      Connection nc,
      String lattice,
      ReconcilerSettings settings,
      Failures failures,
      Expectations expectations,
      Runnable onChange,
      Clock clock) {
    this.ctl = ctl;
    this.nc = nc;
    this.lattice = lattice;
    this.settings = settings;
    this.failures = failures;
    this.expectations = expectations;
    this.onChange = onChange;
    this.clock = clock;
  }

  /** Starts observing (on becoming leader): subscribes first, then finds the hosts. */
  synchronized void activate() {
    if (active) {
      return;
    }
    active = true;
    events = ctl.events(this::onEvent);
    liveness = nc.createDispatcher(this::onLiveness);
    liveness.subscribe(Subjects.aliveAll(lattice));
    resync();
  }

  /** Stops observing and forgets everything (a new leader starts from the lattice itself). */
  synchronized void deactivate() {
    active = false;
    if (events != null) {
      events.close();
      events = null;
    }
    if (liveness != null) {
      try {
        nc.closeDispatcher(liveness);
      } catch (IllegalStateException e) {
        // connection closed
      }
      liveness = null;
    }
    hosts.clear();
    links.clear();
    dirty.clear();
    lost.clear();
  }

  boolean active() {
    return active;
  }

  /** Finds every host (ping), reads every inventory and the links. */
  void resync() {
    Instant now = clock.instant();
    try {
      for (HostInfo h : ctl.pingHosts(settings.pingWindow())) {
        hosts.compute(
            h.id(),
            (id, old) ->
                (old == null ? HostState.unknown(id, now) : old.seen(now))
                    .withLabels(h.labels(), h.friendlyName()));
      }
    } catch (CtlException e) {
      LOG.warn("finding the hosts failed: {}", e.getMessage());
    }
    dirty.addAll(hosts.keySet());
    refreshInventories();
    try {
      Map<String, LinkDefinition> fresh = new HashMap<>();
      for (LinkDefinition l : ctl.links()) {
        fresh.put(LatticeSnapshot.linkKey(l.actorId(), l.contractId(), l.linkName()), l);
      }
      links.keySet().retainAll(fresh.keySet());
      links.putAll(fresh);
    } catch (CtlException e) {
      LOG.debug("reading the links failed: {}", e.getMessage());
    }
  }

  /** Reads the inventory of every host an event marked, in parallel. */
  void refreshInventories() {
    List<String> todo = new ArrayList<>(dirty);
    dirty.removeAll(todo);
    if (todo.isEmpty()) {
      return;
    }
    List<Future<?>> running = new ArrayList<>();
    for (String id : todo) {
      running.add(requests.submit(() -> refresh(id)));
    }
    for (Future<?> f : running) {
      try {
        f.get(ctl.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        LOG.debug("an inventory request did not finish: {}", e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void refresh(String id) {
    try {
      HostInventory inv = ctl.inventory(id);
      Instant now = clock.instant();
      hosts.compute(
          id, (k, old) -> (old == null ? HostState.unknown(k, now) : old).withInventory(inv, now));
    } catch (CtlException e) {
      // the host may be going away; the reaper decides, on silence
      LOG.debug("inventory of {} failed: {}", id, e.getMessage());
    }
  }

  /** Declares silent hosts lost; returns them. */
  List<HostState> reap() {
    Instant now = clock.instant();
    List<HostState> gone = new ArrayList<>();
    for (HostState h : hosts.values()) {
      Duration limit = lostAfter(h);
      if (Duration.between(h.lastSeen(), now).compareTo(limit) > 0 && hosts.remove(h.id(), h)) {
        gone.add(h);
        forget(
            h,
            now,
            "no sign of life for "
                + Duration.between(h.lastSeen(), now).toMillis()
                + " ms (limit "
                + limit.toMillis()
                + " ms)");
      }
    }
    lost.values().removeIf(l -> Duration.between(l.at(), now).toSeconds() > 120);
    return gone;
  }

  /**
   * When the next host would be declared lost if it stays silent, so the reconciler wakes up then
   * rather than at its next periodic pass; null with no hosts.
   */
  @Nullable Instant nextLostDeadline() {
    Instant next = null;
    for (HostState h : hosts.values()) {
      Instant d = h.lastSeen().plus(lostAfter(h));
      if (next == null || d.isBefore(next)) {
        next = d;
      }
    }
    return next;
  }

  Duration lostAfter(HostState h) {
    if (h.livenessEvery() == null) {
      return settings.silentHostLostAfter();
    }
    Duration three = h.livenessEvery().multipliedBy(3);
    return three.compareTo(settings.hostLostAfter()) > 0 ? three : settings.hostLostAfter();
  }

  private void forget(HostState h, Instant now, String why) {
    Set<String> apps = new HashSet<>();
    if (h.inventory() != null) {
      h.inventory()
          .actors()
          .forEach(a -> a.instances().forEach(i -> addApp(apps, i.annotations())));
      h.inventory().providers().forEach(p -> addApp(apps, p.annotations()));
    }
    lost.put(h.id(), new Lost(h.describe(), now, apps));
    failures.forgetHost(h.id());
    expectations.forgetHost(h.id());
    LOG.warn("host {} declared lost: {}", h.describe(), why);
  }

  private static void addApp(Set<String> apps, Map<String, String> annotations) {
    String app = Ownership.appOf(annotations);
    if (app != null) {
      apps.add(app);
    }
  }

  List<Lost> recentlyLost() {
    return List.copyOf(lost.values());
  }

  LatticeSnapshot snapshot() {
    return new LatticeSnapshot(clock.instant(), List.copyOf(hosts.values()), Map.copyOf(links));
  }

  // ------------------------------------------------------------------ inputs

  private void onLiveness(Message m) {
    String subject = m.getSubject();
    String id = subject.substring(subject.lastIndexOf('.') + 1);
    Duration every;
    try {
      every =
          Duration.ofMillis(
              Long.parseLong(new String(m.getData(), StandardCharsets.US_ASCII).strip()));
    } catch (NumberFormatException e) {
      every = Duration.ofSeconds(2);
    }
    Instant now = clock.instant();
    Duration interval = every;
    HostState before = hosts.get(id);
    hosts.compute(
        id,
        (k, old) -> (old == null ? HostState.unknown(k, now) : old).withLiveness(interval, now));
    if (before == null) {
      LOG.info("host {} appeared (liveness signal)", id);
      lost.remove(id);
      dirty.add(id);
      onChange.run();
    }
  }

  private void onEvent(LatticeEventMessage e) {
    Instant now = clock.instant();
    String host = e.source();
    switch (e.type()) {
      case "host_stopped" -> {
        HostState h = hosts.remove(host);
        if (h != null) {
          forget(h, now, "it stopped");
        }
      }
      case "host_started" -> {
        hosts.compute(
            host,
            (k, old) ->
                (old == null ? HostState.unknown(k, now) : old.seen(now))
                    .withLabels(labels(e.data().path("labels")), e.text("friendly_name")));
        lost.remove(host);
        dirty.add(host);
      }
      case "host_heartbeat" -> heartbeat(e, host, now);
      case "linkdef_set" -> {
        LinkDefinition l = LinkDefinition.fromJsonNode(e.data());
        links.put(LatticeSnapshot.linkKey(l.actorId(), l.contractId(), l.linkName()), l);
      }
      case "linkdef_deleted" -> {
        LinkDefinition l = LinkDefinition.fromJsonNode(e.data());
        links.remove(LatticeSnapshot.linkKey(l.actorId(), l.contractId(), l.linkName()));
      }
      case "actors_start_failed" -> {
        String h = e.text("host_id").isEmpty() ? host : e.text("host_id");
        failures.record(h, e.text("image_ref"), e.text("error"), now);
        // group keys name the image (scaler ids do), so this drops exactly that image's waits
        expectations.forgetMatching(h, e.text("image_ref"));
        touch(h, now);
      }
      case "provider_start_failed" -> {
        failures.record(host, e.text("provider_ref"), e.text("error"), now);
        expectations.forgetMatching(host, e.text("provider_ref"));
        touch(host, now);
      }
      case "actors_started",
          "actors_stopped",
          "provider_started",
          "provider_stopped",
          "health_check_passed",
          "health_check_failed",
          "actor_updated" ->
          touch(host, now);
      default -> {
        // per-instance events, refmaps, invocation events: nothing to act on
        if (hosts.containsKey(host)) {
          hosts.computeIfPresent(host, (k, old) -> old.seen(now));
        }
        return;
      }
    }
    onChange.run();
  }

  private void touch(String host, Instant now) {
    if (host.isEmpty() || host.equals("n/a")) {
      return;
    }
    hosts.compute(host, (k, old) -> (old == null ? HostState.unknown(k, now) : old.seen(now)));
    dirty.add(host);
  }

  private void heartbeat(LatticeEventMessage e, String host, Instant now) {
    HostState before = hosts.get(host);
    hosts.compute(
        host,
        (k, old) ->
            (old == null ? HostState.unknown(k, now) : old.seen(now))
                .withLabels(labels(e.data().path("labels")), e.text("friendly_name")));
    if (before == null || before.inventory() == null || !sameCounts(before.inventory(), e.data())) {
      dirty.add(host);
    }
  }

  /** Whether a heartbeat's actor counts and providers agree with the inventory we hold. */
  static boolean sameCounts(HostInventory inv, JsonNode beat) {
    Map<String, Integer> counts = new HashMap<>();
    inv.actors().forEach(a -> counts.put(a.id(), a.instances().size()));
    JsonNode actors = beat.path("actors");
    if (actors.size() != counts.size()) {
      return false;
    }
    for (Map.Entry<String, JsonNode> a : actors.properties()) {
      if (!Integer.valueOf(a.getValue().asInt(-1)).equals(counts.get(a.getKey()))) {
        return false;
      }
    }
    return beat.path("providers").size() == inv.providers().size();
  }

  private static Map<String, String> labels(JsonNode n) {
    Map<String, String> m = new HashMap<>();
    n.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  @Override
  public void close() {
    deactivate();
    requests.shutdownNow();
  }
}
