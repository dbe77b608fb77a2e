package io.trellis.host.runtime;

import io.trellis.host.metrics.RuntimeMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances of one actor. Each logical instance ("slot", what inventory lists) owns one wasm
 * instance at a time; a call leases an idle instance exclusively, so no instance is ever
 * re-entered. Broken, bloated or outdated instances are replaced on return, in the background.
 */
final class InstancePool {
  private static final Logger LOG = LoggerFactory.getLogger(InstancePool.class);

  /** A logical instance: stable id and annotations, across wasm instance replacements. */
  public static final class Slot {
    final String id;
    final Map<String, String> annotations;
    volatile boolean retired;

    Slot(Map<String, String> annotations) {
      this.id = UUID.randomUUID().toString();
      this.annotations = Map.copyOf(annotations);
    }

    public String id() {
      return id;
    }

    public Map<String, String> annotations() {
      return annotations;
    }

    boolean matches(Map<String, String> filter) {
      return filter.entrySet().stream()
          .allMatch(e -> e.getValue().equals(annotations.get(e.getKey())));
    }
  }

  /** Exclusive use of one instance for one call. */
  public record Lease(WapcInstance instance, Slot slot) {}

  /** Why a lease could not be had; the message is ready for the caller. */
  public static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean stopped;

    Unavailable(String message, boolean stopped) {
      super(message, null, false, false);
      this.stopped = stopped;
    }

    public boolean stopped() {
      return stopped;
    }
  }

  private final Object lock = new Object();
  private final LinkedBlockingDeque<Lease> idle = new LinkedBlockingDeque<>();
  private final Map<String, Slot> slots = new LinkedHashMap<>();
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
        return WapcInstance.create(m, hostCalls, options);
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

  public ActorModule module() {
    return module;
  }

  public Lease acquire() throws Unavailable {
    Lease lease = idle.pollFirst();
    if (lease == null) {
      if (waiting.incrementAndGet() > options.queueLimit()) {
        waiting.decrementAndGet();
        throw new Unavailable(
            "actor "
                + module.publicKey()
                + " is busy: all "
                + size()
                + " instances are in use and "
                + options.queueLimit()
                + " calls are already queued",
            false);
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

  private Lease waitForIdle() throws Unavailable {
    long deadline = System.nanoTime() + options.queueTimeout().toNanos();
    while (true) {
      if (closed) {
        throw new Unavailable("actor " + module.publicKey() + " is stopped", true);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new Unavailable(
            "actor "
                + module.publicKey()
                + " is busy: no instance became free within "
                + options.queueTimeout().toMillis()
                + " ms ("
                + size()
                + " instances)",
            false);
      }
      try {
        Lease l =
            idle.pollFirst(
                Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
        if (l != null) {
          if (l.slot().retired) {
            l.instance().close();
            continue;
          }
          return l;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Unavailable(
            "interrupted while waiting for an instance of " + module.publicKey(), false);
      }
    }
  }

  /** Swaps in an instance of the current code if the leased one is outdated. */
  private Lease fresh(Lease lease) throws Unavailable {
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
      inst.close();
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
    Slot slot = lease.slot();
    if (closed || slot.retired) {
      inst.close();
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
      idle.offerFirst(lease);
      return;
    }
    inst.close();
    metrics.instanceReplaced(module.publicKey(), reason);
    String why = reason;
    Thread.ofVirtual().name("trellis-replace-" + slot.id).start(() -> replace(slot, why));
  }

  private void replace(Slot slot, String reason) {
    try {
      WapcInstance n = newInstance(module);
      if (closed || slot.retired) {
        n.close();
      } else {
        idle.offerFirst(new Lease(n, slot));
      }
    } catch (RuntimeException | Error e) {
      LOG.error(
          "replacing an instance of {} after {} failed; the actor runs with one instance fewer: {}",
          module.publicKey(),
          reason,
          e.getMessage());
      synchronized (lock) {
        slots.remove(slot.id);
      }
    }
  }

  /**
   * Adds {@code n} instances, created now so that a failure surfaces to the caller.
   *
   * @throws ActorLoadException if an instance cannot be created; none are added then
   */
  public List<Slot> add(int n, Map<String, String> annotations) {
    checkMemoryBudget(n);
    List<Lease> created = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        created.add(new Lease(newInstance(module), new Slot(annotations)));
      }
    } catch (RuntimeException | Error e) {
      created.forEach(l -> l.instance().close());
      throw e;
    }
    List<Slot> added = new ArrayList<>();
    synchronized (lock) {
      for (Lease l : created) {
        slots.put(l.slot().id, l.slot());
        added.add(l.slot());
        idle.offerLast(l);
      }
    }
    return added;
  }

  /** Retires up to {@code n} instances (all if n is 0) whose annotations include {@code filter}. */
  public List<Slot> remove(int n, Map<String, String> filter) {
    List<Slot> removed = new ArrayList<>();
    synchronized (lock) {
      for (Slot s : new ArrayList<>(slots.values())) {
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
        l.instance().close();
      }
    }
  }

  /**
   * Refuses a scale-up whose linear memories alone would take more than half the heap: the JVM
   * would otherwise die of OutOfMemoryError with every other actor on the host.
   */
  private void checkMemoryBudget(int n) {
    int initial =
        module
            .code()
            .module()
            .memorySection()
            .map(s -> s.getMemory(0).limits().initialPages())
            .orElse(0);
    long perInstance = (long) (initial + options.headroomPages()) * 65536L;
    long needed = perInstance * (n + size());
    long budget = Runtime.getRuntime().maxMemory() / 2;
    if (needed > budget) {
      throw new ActorLoadException(
          "cannot run "
              + (n + size())
              + " instances of actor "
              + module.publicKey()
              + ": their linear memory needs about "
              + (needed >> 20)
              + " MiB, more than half of this host's "
              + (Runtime.getRuntime().maxMemory() >> 20)
              + " MiB heap; run fewer instances per host or give the host more heap (-Xmx)");
    }
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
      fresh.forEach(WapcInstance::close);
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
        l.instance().close();
      }
    }
    fresh.forEach(WapcInstance::close);
  }

  public List<Slot> slots() {
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
