package io.trellis.host.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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

  // host-wide, not per actor: an idle actor should cost no meters of its own
  private final AtomicLong liveInstances = new AtomicLong();
  private final Counter instancesCreated;
  private final Counter instancesReleasedIdle;

  public RuntimeMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("trellis.actor.instances.live", liveInstances, AtomicLong::get)
        .description("wasm instances that exist now, busy or idle, over all actors")
        .register(registry);
    this.instancesCreated =
        Counter.builder("trellis.actor.instances.spawned")
            .description("wasm instances created (at start, for a call, or as a replacement)")
            .register(registry);
    this.instancesReleasedIdle =
        Counter.builder("trellis.actor.instances.released")
            .description("wasm instances released after the idle period")
            .tag("reason", "idle")
            .register(registry);
  }

  public void instanceCreated() {
    liveInstances.incrementAndGet();
    instancesCreated.increment();
  }

  public void instanceClosed() {
    liveInstances.decrementAndGet();
  }

  public void instancesReleasedIdle(int n) {
    instancesReleasedIdle.increment(n);
  }

  /** Wasm instances alive now over all actors of this host. */
  public long liveInstances() {
    return liveInstances.get();
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
