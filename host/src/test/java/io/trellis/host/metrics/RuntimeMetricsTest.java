package io.trellis.host.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Operation names come from callers: their tags are capped so a caller cannot flood the registry.
 */
class RuntimeMetricsTest {
  @Test
  void operationTagsAreCappedAndTheRestCountAsOther() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RuntimeMetrics.ActorMeters meters = new RuntimeMetrics(registry).forActor("MACTOR");
    for (int i = 0; i < 200; i++) {
      meters.invocation("Op." + i, "success", 1_000);
    }
    meters.invocation("Op.0", "trap", 1_000);
    Set<String> ops =
        registry.find("trellis.actor.invocations").timers().stream()
            .map(t -> t.getId().getTag("operation"))
            .collect(Collectors.toSet());
    assertEquals(RuntimeMetrics.MAX_OPERATIONS + 1, ops.size(), "64 named operations plus 'other'");
    Timer other = registry.find("trellis.actor.invocations").tag("operation", "other").timer();
    assertEquals(200 - RuntimeMetrics.MAX_OPERATIONS, other.count());
    assertTrue(
        registry
                .find("trellis.actor.invocations")
                .tag("operation", "Op.0")
                .tag("outcome", "trap")
                .timer()
            != null,
        "a known operation keeps its own tag for new outcomes");
  }
}
