package io.trellis.host.runtime;

import io.trellis.host.metrics.RuntimeMetrics;
import io.trellis.host.runtime.InvocationResult.Kind;
import io.trellis.wasmbus.rpc.TraceContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A running actor: up to N instances behind one entry point (N is its count; instances are created
 * when calls need them and released when idle). Calls run on virtual threads, each on an instance
 * of its own; a call that overruns the timeout is interrupted and its instance replaced.
 */
public final class Actor {
  private final InstancePool pool;
  private final Watchdog watchdog;
  private final RuntimeMetrics.ActorMeters metrics;
  private final Duration callTimeout;
  private final String publicKey;

  Actor(InstancePool pool, Watchdog watchdog, RuntimeMetrics metrics, Duration callTimeout) {
    this.pool = pool;
    this.watchdog = watchdog;
    this.callTimeout = callTimeout;
    this.publicKey = pool.module().publicKey();
    this.metrics = metrics.forActor(publicKey);
  }

  public String publicKey() {
    return publicKey;
  }

  /** The module new instances are made from (changes on live update). */
  public ActorModule module() {
    return pool.module();
  }

  /**
   * Invokes an operation and waits for the result. Runs the guest on a virtual thread: the calling
   * thread itself if it is virtual, otherwise a new one (so a timeout never interrupts a platform
   * thread such as a NATS dispatcher).
   */
  public InvocationResult invoke(String operation, byte[] payload) {
    return invoke(operation, payload, null);
  }

  /**
   * {@link #invoke(String, byte[])} as part of the trace {@code trace}: the guest's host calls
   * carry it on (PROTOCOL.md §16.1). Null when the call is not traced.
   */
  public InvocationResult invoke(String operation, byte[] payload, @Nullable TraceContext trace) {
    if (!Thread.currentThread().isVirtual()) {
      return invokeAsync(operation, payload, trace).join();
    }
    long t0 = System.nanoTime();
    InstancePool.Lease lease;
    try {
      lease = pool.acquire();
    } catch (InstanceUnavailable e) {
      Kind kind = e.kind();
      metrics.invocation(operation, kind.tag(), System.nanoTime() - t0);
      return InvocationResult.failure(kind, e.getMessage());
    }
    long t1 = System.nanoTime();
    metrics.queueWait(t1 - t0);
    InvocationResult result;
    try (Watchdog.Guard guard = watchdog.guard(callTimeout)) {
      result = lease.instance().call(operation, payload, trace);
      if (guard.fired()) {
        result =
            InvocationResult.failure(
                Kind.TIMEOUT,
                "actor "
                    + publicKey
                    + " exceeded the call"
                    + " timeout of "
                    + callTimeout.toMillis()
                    + " ms in "
                    + operation
                    + "; the call was stopped and its instance replaced");
      }
    } finally {
      pool.release(lease);
    }
    String outcome =
        switch (result) {
          case InvocationResult.Success s -> "success";
          case InvocationResult.Failure f -> f.kind().tag();
        };
    metrics.invocation(operation, outcome, System.nanoTime() - t1);
    return result;
  }

  /** Invokes on a new virtual thread. */
  public CompletableFuture<InvocationResult> invokeAsync(String operation, byte[] payload) {
    return invokeAsync(operation, payload, null);
  }

  private CompletableFuture<InvocationResult> invokeAsync(
      String operation, byte[] payload, @Nullable TraceContext trace) {
    CompletableFuture<InvocationResult> f = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("trellis-call")
        .start(
            () -> {
              try {
                f.complete(invoke(operation, payload, trace));
              } catch (RuntimeException | Error e) {
                f.complete(InvocationResult.failure(Kind.INTERNAL, "host fault: " + e));
              }
            });
    return f;
  }

  /** Adds instances; fails without adding any if one cannot be created. */
  public List<InstanceInfo> addInstances(int count, Map<String, String> annotations) {
    long rev = module().revision();
    return pool.add(count, annotations).stream()
        .map(s -> new InstanceInfo(s.id(), s.annotations(), rev))
        .toList();
  }

  /** Removes up to {@code count} instances (0 = all) whose annotations include {@code filter}. */
  public List<InstanceInfo> removeInstances(int count, Map<String, String> filter) {
    long rev = module().revision();
    return pool.remove(count, filter).stream()
        .map(s -> new InstanceInfo(s.id(), s.annotations(), rev))
        .toList();
  }

  /** Converges to exactly {@code count} instances (new ones get {@code annotations}). */
  public void scale(int count, Map<String, String> annotations) {
    if (count < 0) {
      throw new IllegalArgumentException(
          "cannot scale actor " + publicKey + " to " + count + " instances");
    }
    int current = pool.size();
    if (count > current) {
      addInstances(count - current, annotations);
    } else if (count < current) {
      removeInstances(current - count, Map.of());
    }
  }

  /** Live update: instances switch to {@code next} as they become idle; no call is dropped. */
  public void update(ActorModule next) {
    if (!next.publicKey().equals(publicKey)) {
      throw new ActorLoadException(
          "live update needs the same actor: running "
              + publicKey
              + ", new module is "
              + next.publicKey());
    }
    pool.update(next);
  }

  public List<InstanceInfo> instances() {
    long rev = module().revision();
    return pool.slots().stream().map(s -> new InstanceInfo(s.id(), s.annotations(), rev)).toList();
  }

  public int instanceCount() {
    return pool.size();
  }

  public int busyInstances() {
    return pool.busy();
  }

  /** Calls waiting for a free instance now. */
  public int queuedCalls() {
    return pool.waiting();
  }

  /**
   * Wasm instances that exist now, busy or idle: at most {@link #instanceCount()}, down to none
   * after the idle period.
   */
  public int liveInstances() {
    return pool.live();
  }

  /** Stops taking calls and waits up to {@code grace} for in-flight ones; true if all finished. */
  public boolean stop(Duration grace) {
    return pool.close(grace);
  }
}
