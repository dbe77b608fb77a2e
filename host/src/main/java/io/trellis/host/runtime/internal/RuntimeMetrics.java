package io.trellis.host.runtime.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Micrometer meters of the actor runtime. Operation names come from callers, so each actor keeps at
 * most {@link #MAX_OPERATIONS} distinct operation tags; the rest are tagged "other" so a hostile
 * caller cannot blow up metric cardinality.
 */
public final class RuntimeMetrics {
  static final int MAX_OPERATIONS = 64;
  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Set<String>> operations = new ConcurrentHashMap<>();
  // Meter lookups build ids and sort tags; cache the meters the hot path uses.
  private final ConcurrentHashMap<String, Timer> invocationTimers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> queueTimers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> hostCallTimers = new ConcurrentHashMap<>();

  public RuntimeMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void invocation(String actor, String operation, String outcome, long nanos) {
    String op = boundedOperation(actor, operation);
    invocationTimers.computeIfAbsent(actor + '\n' + op + '\n' + outcome, k -> Timer.builder("trellis.actor.invocations")
            .description("guest calls by actor, operation and outcome")
            .tag("actor", actor).tag("operation", op).tag("outcome", outcome).register(registry))
        .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  public void queueWait(String actor, long nanos) {
    queueTimers.computeIfAbsent(actor, k -> Timer.builder("trellis.actor.queue.wait")
            .description("time waiting for a free instance").tag("actor", actor).register(registry))
        .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  public void instanceReplaced(String actor, String reason) {
    Counter.builder("trellis.actor.instances.replaced").tag("actor", actor).tag("reason", reason)
        .register(registry).increment();
  }

  public void compileTime(String actor, Duration d) {
    Timer.builder("trellis.actor.compile").tag("actor", actor).register(registry).record(d);
  }

  public void hostCall(String contract, String outcome, long nanos) {
    hostCallTimers.computeIfAbsent(contract + '\n' + outcome, k -> Timer.builder("trellis.host.calls")
            .description("host calls by contract and outcome").tag("contract", contract).tag("outcome", outcome)
            .register(registry))
        .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  private String boundedOperation(String actor, String operation) {
    Set<String> ops = operations.computeIfAbsent(actor, k -> ConcurrentHashMap.newKeySet());
    if (ops.contains(operation)) {
      return operation;
    }
    if (ops.size() >= MAX_OPERATIONS) {
      return "other";
    }
    ops.add(operation);
    return operation;
  }
}
