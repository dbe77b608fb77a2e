package io.trellis.host.runtime;

import io.trellis.host.metrics.RuntimeMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances of one actor. Each logical instance ("slot", what inventory lists) owns at most one
 * wasm instance at a time, so the actor's count is the most instances that ever run at once; a call
 * leases an idle instance exclusively, so no instance is ever re-entered. A slot without an
 * instance ("cold") gets one when a call needs it, and an instance unused for the idle period is
 * released ({@link #releaseIdle}), down to none. Broken, bloated or outdated instances are released
 * on return and replaced when a call needs them.
 */
final class InstancePool {
  private static final Logger LOG = LoggerFactory.getLogger(InstancePool.class);

  /** Exclusive use of one instance for one call. */
  public record Lease(WapcInstance instance, InstanceSlot slot) {}

  private final Object lock = new Object();
  // warm instances, most recently used first (so the least used ones age out)
  private final LinkedBlockingDeque<Lease> idle = new LinkedBlockingDeque<>();
  // slots without an instance
  private final ConcurrentLinkedDeque<InstanceSlot> cold = new ConcurrentLinkedDeque<>();
  private final AtomicInteger live = new AtomicInteger();
  private final Map<String, InstanceSlot> slots = new LinkedHashMap<>();
  private final HostCalls hostCalls;
  private final RuntimeOptions options;
  private final RuntimeMetrics metrics;
  private final Watchdog watchdog;
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger busy = new AtomicInteger();
  private volatile ActorModule module;
  private volatile boolean closed;

  public InstancePool(
      ActorModule module,
      HostCalls hostCalls,
      RuntimeOptions options,
      RuntimeMetrics metrics,
      Watchdog watchdog) {
    this.module = module;
    this.hostCalls = hostCalls;
    this.options = options;
    this.metrics = metrics;
    this.watchdog = watchdog;
  }

  /**
   * Creates an instance under the call timeout: init exports are guest code too, and one that never
   * returns must not hang a start, a scale or an update.
   */
  private WapcInstance newInstance(ActorModule m) {
    try (Watchdog.Guard guard = watchdog.guard(options.callTimeout())) {
      try {
        WapcInstance created = WapcInstance.create(m, hostCalls, options);
        live.incrementAndGet();
        metrics.instanceCreated();
        return created;
      } catch (ActorLoadException e) {
        if (guard.fired()) {
          throw new ActorLoadException(
              "actor "
                  + m.publicKey()
                  + " did not finish initialising within"
                  + " the call timeout of "
                  + options.callTimeout().toMillis()
                  + " ms",
              e);
        }
        throw e;
      }
    }
  }

  private void dispose(WapcInstance instance) {
    instance.close();
    live.decrementAndGet();
    metrics.instanceClosed();
  }

  public ActorModule module() {
    return module;
  }

  public Lease acquire() throws InstanceUnavailable {
    Lease lease = idle.pollFirst();
    if (lease == null) {
      lease = warmUp();
    }
    if (lease == null) {
      if (waiting.incrementAndGet() > options.queueLimit()) {
        waiting.decrementAndGet();
        throw new InstanceUnavailable(
            "actor "
                + module.publicKey()
                + " is busy: all "
                + size()
                + " instances are in use and "
                + options.queueLimit()
                + " calls are already queued",
            InvocationResult.Kind.BUSY);
      }
      try {
        lease = waitForIdle();
      } finally {
        waiting.decrementAndGet();
      }
    }
    busy.incrementAndGet();
    return fresh(lease);
  }

  private Lease waitForIdle() throws InstanceUnavailable {
    long deadline = System.nanoTime() + options.queueTimeout().toNanos();
    while (true) {
      if (closed) {
        throw new InstanceUnavailable(
            "actor " + module.publicKey() + " is stopped", InvocationResult.Kind.STOPPED);
      }
      // a slot may have gone cold while this call waited (idle release, a broken instance)
      Lease warm = warmUp();
      if (warm != null) {
        return warm;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new InstanceUnavailable(
            "actor "
                + module.publicKey()
                + " is busy: no instance became free within "
                + options.queueTimeout().toMillis()
                + " ms ("
                + size()
                + " instances)",
            InvocationResult.Kind.BUSY);
      }
      try {
        Lease l =
            idle.pollFirst(
                Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
        if (l != null) {
          if (l.slot().retired) {
            dispose(l.instance());
            continue;
          }
          return l;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InstanceUnavailable(
            "interrupted while waiting for an instance of " + module.publicKey(),
            InvocationResult.Kind.BUSY);
      }
    }
  }

  /** Gives a cold slot an instance, or returns null when no slot is cold. */
  private @Nullable Lease warmUp() throws InstanceUnavailable {
    InstanceSlot slot;
    while ((slot = cold.pollFirst()) != null) {
      if (slot.retired || closed) {
        continue;
      }
      try {
        return new Lease(newInstance(module), slot);
      } catch (RuntimeException | Error e) {
        cold.offerFirst(slot);
        throw new InstanceUnavailable(
            "could not create an instance of actor " + module.publicKey() + ": " + e.getMessage(),
            InvocationResult.Kind.INTERNAL);
      }
    }
    return null;
  }

  /** Swaps in an instance of the current code if the leased one is outdated. */
  private Lease fresh(Lease lease) throws InstanceUnavailable {
    if (lease.slot().retired || closed) {
      // Retired while idle: serve this one call anyway; release() disposes of it.
      return lease;
    }
    ActorModule m = module;
    WapcInstance inst = lease.instance();
    if (inst.module() == m && inst.generation() == m.code().generation()) {
      return lease;
    }
    try {
      WapcInstance replacement = newInstance(m);
      dispose(inst);
      metrics.instanceReplaced(m.publicKey(), "code_update");
      return new Lease(replacement, lease.slot());
    } catch (RuntimeException | Error e) {
      // The lease (and its busy count) must survive any failure here, or the slot is lost.
      LOG.warn(
          "could not refresh an instance of {}: {}; serving the call with the old code",
          m.publicKey(),
          e.getMessage());
      return lease;
    }
  }

  public void release(Lease lease) {
    busy.decrementAndGet();
    WapcInstance inst = lease.instance();
    InstanceSlot slot = lease.slot();
    if (closed || slot.retired) {
      dispose(inst);
      signalIfClosed();
      return;
    }
    String reason = null;
    if (!inst.isUsable()) {
      reason = "trap_or_timeout";
    } else if (inst.memoryPages() > options.recycleMemoryPages()) {
      reason = "memory_growth";
    } else if (inst.module() != module || inst.generation() != module.code().generation()) {
      reason = "code_update";
    }
    if (reason == null) {
      slot.idleSince = System.nanoTime();
      idle.offerFirst(lease);
      return;
    }
    dispose(inst);
    metrics.instanceReplaced(module.publicKey(), reason);
    if (waiting.get() == 0) {
      cold.offerFirst(slot); // the next call creates the replacement
      return;
    }
    String why = reason;
    Thread.ofVirtual().name("trellis-replace-" + slot.id).start(() -> replace(slot, why));
  }

  /** Replaces a released instance at once, for the calls that are waiting. */
  private void replace(InstanceSlot slot, String reason) {
    try {
      WapcInstance n = newInstance(module);
      if (closed || slot.retired) {
        dispose(n);
      } else {
        slot.idleSince = System.nanoTime();
        idle.offerFirst(new Lease(n, slot));
      }
    } catch (RuntimeException | Error e) {
      LOG.error(
          "replacing an instance of {} after {} failed; the next call tries again: {}",
          module.publicKey(),
          reason,
          e.getMessage());
      cold.offerFirst(slot);
    }
  }

  /**
   * Releases the instances idle for at least {@code idleNanos}; their slots stay (inventory still
   * lists them) and get a new instance when a call needs one.
   *
   * @return how many were released
   */
  int releaseIdle(long now, long idleNanos) {
    int released = 0;
    for (Iterator<Lease> it = idle.descendingIterator(); it.hasNext(); ) {
      Lease l = it.next();
      if (now - l.slot().idleSince >= idleNanos && idle.removeFirstOccurrence(l)) {
        dispose(l.instance());
        if (!l.slot().retired && !closed) {
          cold.offerLast(l.slot());
        }
        released++;
      }
    }
    return released;
  }

  /** Wasm instances of this actor that exist now, busy or idle (at most its count). */
  int live() {
    return live.get();
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Adds {@code n} slots, all without an instance: instances are created when calls need them. One
   * instance is created and released at once, so that a module that cannot be instantiated (or
   * whose init exports fail) fails here, for the caller, and a start of many actors never holds
   * their memory at once.
   *
   * @throws ActorLoadException if the instance cannot be created; no slot is added then
   */
  public List<InstanceSlot> add(int n, Map<String, String> annotations) {
    if (n <= 0) {
      return List.of();
    }
    MemoryBudget.check(module, options, n + size());
    dispose(newInstance(module));
    List<InstanceSlot> added = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      added.add(new InstanceSlot(annotations));
    }
    synchronized (lock) {
      for (InstanceSlot s : added) {
        slots.put(s.id, s);
        cold.offerLast(s);
      }
    }
    return added;
  }

  /** Retires up to {@code n} instances (all if n is 0) whose annotations include {@code filter}. */
  public List<InstanceSlot> remove(int n, Map<String, String> filter) {
    List<InstanceSlot> removed = new ArrayList<>();
    synchronized (lock) {
      for (InstanceSlot s : new ArrayList<>(slots.values())) {
        if ((n == 0 || removed.size() < n) && s.matches(filter)) {
          s.retired = true;
          slots.remove(s.id);
          removed.add(s);
        }
      }
    }
    drainRetired();
    return removed;
  }

  private void drainRetired() {
    for (Lease l : new ArrayList<>(idle)) {
      if (l.slot().retired && idle.remove(l)) {
        dispose(l.instance());
      }
    }
    cold.removeIf(s -> s.retired);
  }

  /**
   * Live update: later leases get instances of {@code next}; in-flight calls finish on the old. The
   * replacements are created first, so a module that cannot be instantiated leaves the actor
   * exactly as it was.
   *
   * @throws ActorLoadException if {@code next} cannot be instantiated; nothing changed then
   */
  public void update(ActorModule next) {
    int wanted = Math.max(1, idle.size());
    List<WapcInstance> fresh = new ArrayList<>();
    try {
      for (int i = 0; i < wanted; i++) {
        fresh.add(newInstance(next));
      }
    } catch (RuntimeException | Error e) {
      fresh.forEach(this::dispose);
      throw e instanceof ActorLoadException a
          ? a
          : new ActorLoadException(
              "instantiating the new module of " + next.publicKey() + " failed: " + e, e);
    }
    this.module = next;
    // Swap the idle ones now, so the first calls after the update pay no instantiation; busy ones
    // are refreshed when they come back (release sees the old module).
    for (Lease l : new ArrayList<>(idle)) {
      if (!fresh.isEmpty() && idle.remove(l)) {
        idle.offerLast(new Lease(fresh.remove(fresh.size() - 1), l.slot()));
        dispose(l.instance());
      }
    }
    fresh.forEach(this::dispose);
  }

  public List<InstanceSlot> slots() {
    synchronized (lock) {
      return List.copyOf(slots.values());
    }
  }

  public int size() {
    synchronized (lock) {
      return slots.size();
    }
  }

  public int busy() {
    return busy.get();
  }

  /** Calls waiting for a free instance now. */
  public int waiting() {
    return waiting.get();
  }

  /** Stops taking calls, lets in-flight ones finish within {@code grace}; true if all finished. */
  public boolean close(Duration grace) {
    closed = true;
    synchronized (lock) {
      slots.values().forEach(s -> s.retired = true);
      slots.clear();
    }
    drainRetired();
    long deadline = System.nanoTime() + grace.toNanos();
    synchronized (lock) {
      while (busy.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  private void signalIfClosed() {
    if (closed) {
      synchronized (lock) {
        lock.notifyAll();
      }
    }
  }
}
