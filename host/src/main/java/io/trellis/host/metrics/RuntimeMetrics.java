package io.trellis.host.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters of the actor runtime. Operation names come from callers, so each actor keeps at
 * most {@link #MAX_OPERATIONS} distinct operation tags; the rest are tagged "other" so a hostile
 * caller cannot blow up metric cardinality.
 */
public final class RuntimeMetrics {
  static final int MAX_OPERATIONS = 64;
  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, ActorMeters> actors = new ConcurrentHashMap<>();
  // contract → outcome → timer: meter lookups build ids and sort tags, so the hot path keeps them
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Timer>> hostCallTimers =
      new ConcurrentHashMap<>();

  public RuntimeMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The meters of one actor, held by it so a call does no per-actor lookup. */
  public ActorMeters forActor(String actor) {
    return actors.computeIfAbsent(actor, ActorMeters::new);
  }

  public void instanceReplaced(String actor, String reason) {
    Counter.builder("trellis.actor.instances.replaced")
        .tag("actor", actor)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  public void compileTime(String actor, Duration d) {
    Timer.builder("trellis.actor.compile").tag("actor", actor).register(registry).record(d);
  }

  public void hostCall(String contract, String outcome, long nanos) {
    hostCallTimers
        .computeIfAbsent(contract, c -> new ConcurrentHashMap<>())
        .computeIfAbsent(
            outcome,
            o ->
                Timer.builder("trellis.host.calls")
                    .description("host calls by contract and outcome")
                    .tag("contract", contract)
                    .tag("outcome", outcome)
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Invocation and queue timers of one actor. */
  public final class ActorMeters {
    private final String actor;
    private final Timer queue;
    // operation names come from callers: at most MAX_OPERATIONS of them, the rest share "other"
    private final ConcurrentHashMap<String, Operation> operations = new ConcurrentHashMap<>();

    private record Operation(String tag, ConcurrentHashMap<String, Timer> byOutcome) {}

    private ActorMeters(String actor) {
      this.actor = actor;
      this.queue =
          Timer.builder("trellis.actor.queue.wait")
              .description("time waiting for a free instance")
              .tag("actor", actor)
              .register(registry);
    }

    public void queueWait(long nanos) {
      queue.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void invocation(String operation, String outcome, long nanos) {
      Operation found = operations.get(operation);
      if (found == null) {
        String tag = operations.size() >= MAX_OPERATIONS ? "other" : operation;
        found = operations.computeIfAbsent(tag, t -> new Operation(t, new ConcurrentHashMap<>()));
      }
      Operation op = found;
      op.byOutcome()
          .computeIfAbsent(
              outcome,
              o ->
                  Timer.builder("trellis.actor.invocations")
                      .description("guest calls by actor, operation and outcome")
                      .tag("actor", actor)
                      .tag("operation", op.tag())
                      .tag("outcome", outcome)
                      // latency histogram buckets in Prometheus (_bucket), 1 ms .. 30 s
                      .publishPercentileHistogram()
                      .minimumExpectedValue(Duration.ofMillis(1))
                      .maximumExpectedValue(Duration.ofSeconds(30))
                      .register(registry))
          .record(nanos, TimeUnit.NANOSECONDS);
    }
  }
}
