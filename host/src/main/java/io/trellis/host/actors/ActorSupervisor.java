package io.trellis.host.actors;

import io.trellis.host.events.EventPublisher;
import io.trellis.host.rpc.ActorDirectory;
import io.trellis.host.rpc.ActorRpcServer;
import io.trellis.host.runtime.Actor;
import io.trellis.host.runtime.ActorLoadException;
import io.trellis.host.runtime.ActorModule;
import io.trellis.host.runtime.ActorRuntime;
import io.trellis.host.runtime.InstanceInfo;
import io.trellis.lattice.LatticeCache;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.lattice.RefMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actors running on this host: starting (claims to the lattice, RPC subscription, events),
 * scaling, live update and stopping. One {@link Actor} per public key; its RPC subscription exists
 * while at least one instance runs.
 */
public final class ActorSupervisor implements ActorDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(ActorSupervisor.class);

  /** A running actor and the reference it was started from ("" when started from bytes). */
  public record Running(Actor actor, String imageRef) {}

  private final ActorRuntime runtime;
  private final ActorRpcServer rpc;
  private final LatticeCache cache;
  private final ActorEvents events;
  private final Duration stopGrace;
  private final Map<String, Running> running = new ConcurrentHashMap<>();

  /**
   * Serialises start/stop/scale/update. These run on virtual threads and block on NATS; since JDK
   * 24 (JEP 491) neither a lock nor {@code synchronized} pins the carrier while they wait.
   */
  private final ReentrantLock lock = new ReentrantLock();

  public ActorSupervisor(
      ActorRuntime runtime,
      ActorRpcServer rpc,
      LatticeCache cache,
      EventPublisher events,
      String hostId,
      Duration stopGrace) {
    this.runtime = runtime;
    this.rpc = rpc;
    this.cache = cache;
    this.events = new ActorEvents(events, hostId);
    this.stopGrace = stopGrace;
  }

  @Override
  public @Nullable Actor find(String publicKey) {
    Running r = running.get(publicKey);
    return r == null ? null : r.actor();
  }

  public Map<String, Running> running() {
    return Map.copyOf(running);
  }

  /**
   * Starts {@code count} instances from module bytes and publishes the events. A key that is
   * already running from another reference is refused (use live update).
   *
   * @throws LatticeException (with the failure also published as actor_start_failed)
   */
  public List<InstanceInfo> start(
      byte[] bytes, @Nullable String imageRef, int count, Map<String, String> annotations) {
    lock.lock();
    try {
      return startLocked(bytes, imageRef, count, annotations);
    } finally {
      lock.unlock();
    }
  }

  private List<InstanceInfo> startLocked(
      byte[] bytes, @Nullable String imageRef, int count, Map<String, String> annotations) {
    String ref = imageRef == null ? "" : imageRef;
    ActorModule module;
    try {
      if (count < 1) {
        throw new ActorLoadException(
            "cannot start " + count + " instances: the count must be at least 1");
      }
      module = runtime.load(bytes);
    } catch (LatticeException e) {
      events.startFailed(ref, null, annotations, e.getMessage());
      throw e;
    }
    String key = module.publicKey();
    Running existing = running.get(key);
    try {
      if (existing != null
          && !existing.imageRef().equals(ref)
          && !ref.isEmpty()
          && !existing.imageRef().isEmpty()) {
        throw new ActorLoadException(
            "actor "
                + key
                + " is already running on this host from '"
                + existing.imageRef()
                + "'; use live update to switch it to '"
                + ref
                + "'");
      }
      if (existing != null
          && (!existing.actor().module().hash().equals(module.hash())
              || existing.actor().module().revision() != module.revision())) {
        // New instances run the running module; silently ignoring the new one would leave the
        // user believing revision N runs when N-1 does.
        throw new ActorLoadException(
            "actor "
                + key
                + " is already running on this host with a"
                + " different module (revision "
                + existing.actor().module().revision()
                + ", this one is"
                + " revision "
                + module.revision()
                + "); switch it with: trellis ctl update actor "
                + key
                + " <new ref>");
      }
      List<InstanceInfo> started;
      if (existing == null) {
        Actor actor = runtime.start(module, count, annotations);
        started = actor.instances();
        running.put(key, new Running(actor, ref));
        publishClaims(module, ref);
        rpc.subscribe(key);
      } else {
        runtime.release(module);
        started = existing.actor().addInstances(count, annotations);
      }
      LOG.info(
          "started {} instance(s) of actor {} ({}){}",
          count,
          key,
          module.name(),
          ref.isEmpty() ? "" : " from " + ref);
      events.started(module, ref, started, annotations);
      return started;
    } catch (LatticeException e) {
      if (existing == null && !running.containsKey(key)) {
        runtime.release(module);
      }
      events.startFailed(ref, key, annotations, e.getMessage());
      throw e;
    }
  }

  /** Reports a start that failed before a module could be loaded (e.g. the download failed). */
  public void startFailed(String actorRef, Map<String, String> annotations, String error) {
    events.startFailed(actorRef, null, annotations, error);
  }

  private void publishClaims(ActorModule module, String ref) {
    try {
      cache.putClaims(ClaimsRecord.ofActor(module.claims()));
      if (!ref.isEmpty()) {
        cache.putRefMap(new RefMap(ref, module.publicKey()));
        events.refMapSet(ref, module.publicKey());
      }
    } catch (LatticeException e) {
      // The actor runs regardless; other hosts just will not see its claims until the next start.
      LOG.warn(
          "could not write claims of {} to the lattice: {}", module.publicKey(), e.getMessage());
    }
  }

  /**
   * Stops up to {@code count} instances (0 = all) whose annotations include {@code filter}.
   *
   * @return the instances stopped
   */
  public List<InstanceInfo> stop(String publicKey, int count, Map<String, String> filter) {
    lock.lock();
    try {
      return stopLocked(publicKey, count, filter);
    } finally {
      lock.unlock();
    }
  }

  private List<InstanceInfo> stopLocked(String publicKey, int count, Map<String, String> filter) {
    Running r = running.get(publicKey);
    if (r == null) {
      return List.of();
    }
    List<InstanceInfo> removed = r.actor().removeInstances(count, filter);
    int remaining = r.actor().instanceCount();
    if (remaining == 0) {
      running.remove(publicKey);
      rpc.unsubscribe(publicKey);
      r.actor().stop(stopGrace);
      runtime.release(r.actor().module());
    }
    if (!removed.isEmpty()) {
      LOG.info(
          "stopped {} instance(s) of actor {}; {} remain", removed.size(), publicKey, remaining);
      events.stopped(publicKey, removed, remaining, filter);
    }
    return removed;
  }

  /**
   * Converges the number of instances whose annotations include {@code annotations} to {@code
   * count}; other instances (started by hand, or by another application) are neither counted nor
   * stopped (PROTOCOL.md §8.3: scale carries annotations, as in OTP 0.63). With no annotations
   * every instance counts. Scaling up needs bytes when the actor is not running.
   */
  public void scale(String publicKey, int count, Map<String, String> annotations) {
    lock.lock();
    try {
      scaleLocked(publicKey, count, annotations);
    } finally {
      lock.unlock();
    }
  }

  private void scaleLocked(String publicKey, int count, Map<String, String> annotations) {
    Running r = running.get(publicKey);
    if (r == null) {
      throw new ActorLoadException(
          "actor "
              + publicKey
              + " is not running on this host, so there is"
              + " nothing to scale; start it with a reference first");
    }
    int current = countMatching(r.actor(), annotations);
    if (count > current) {
      List<InstanceInfo> added = r.actor().addInstances(count - current, annotations);
      events.started(r.actor().module(), r.imageRef(), added, annotations);
    } else if (count < current) {
      stop(publicKey, current - count, annotations);
    }
  }

  /** Instances whose annotations include every entry of {@code filter}. */
  public int countMatching(String publicKey, Map<String, String> filter) {
    Running r = running.get(publicKey);
    return r == null ? 0 : countMatching(r.actor(), filter);
  }

  private static int countMatching(Actor actor, Map<String, String> filter) {
    int n = 0;
    for (InstanceInfo i : actor.instances()) {
      if (i.annotations().entrySet().containsAll(filter.entrySet())) {
        n++;
      }
    }
    return n;
  }

  /**
   * Live update, refused unless the new module's key is {@code expectedKey} (when not empty): an
   * update command names the actor it means to change.
   */
  public void update(byte[] bytes, @Nullable String newRef, @Nullable String expectedKey) {
    lock.lock();
    try {
      updateLocked(bytes, newRef, expectedKey);
    } finally {
      lock.unlock();
    }
  }

  private void updateLocked(byte[] bytes, @Nullable String newRef, @Nullable String expectedKey) {
    ActorModule next = runtime.load(bytes);
    if (expectedKey != null && !expectedKey.isEmpty() && !expectedKey.equals(next.publicKey())) {
      runtime.release(next);
      throw new ActorLoadException(
          "Unable to perform live update: "
              + newRef
              + " is actor "
              + next.publicKey()
              + ", not "
              + expectedKey
              + " named in the command");
    }
    Running r = running.get(next.publicKey());
    if (r == null) {
      runtime.release(next);
      throw new ActorLoadException(
          "Unable to perform live update: actor "
              + next.publicKey()
              + " is not running on this host");
    }
    ActorModule current = r.actor().module();
    if (next.revision() <= current.revision()) {
      runtime.release(next);
      String why =
          "Unable to perform live update: new revision "
              + next.revision()
              + " is not greater than the running revision "
              + current.revision();
      events.updateFailed(next.publicKey(), next.revision(), r.actor().instances(), why);
      throw new ActorLoadException(why);
    }
    try {
      r.actor().update(next);
    } catch (RuntimeException e) {
      runtime.release(next);
      String why =
          "Unable to perform live update of "
              + next.publicKey()
              + " to revision "
              + next.revision()
              + ": "
              + e.getMessage()
              + "; revision "
              + current.revision()
              + " keeps running";
      events.updateFailed(next.publicKey(), next.revision(), r.actor().instances(), why);
      throw new ActorLoadException(why, e);
    }
    running.put(next.publicKey(), new Running(r.actor(), newRef == null ? r.imageRef() : newRef));
    runtime.release(current);
    publishClaims(next, newRef == null ? "" : newRef);
    events.updated(next.publicKey(), next.revision(), r.actor().instances());
  }

  /** Instance counts by actor key, for heartbeats. */
  public Map<String, Integer> counts() {
    Map<String, Integer> m = new TreeMap<>();
    running.forEach((k, v) -> m.put(k, v.actor().instanceCount()));
    return m;
  }

  /** Stops every actor, publishing the stopped events. */
  public void stopAll() {
    for (String key : new ArrayList<>(running.keySet())) {
      try {
        stop(key, 0, Map.of());
      } catch (RuntimeException e) {
        LOG.warn("stopping actor {} failed: {}", key, e.toString());
      }
    }
  }
}
