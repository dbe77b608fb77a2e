package io.trellis.host.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Invocations each running actor has handled since the host started, read from the runtime's {@code
 * trellis.actor.invocations} timers when a heartbeat is built (every interval, off the invocation
 * path). Heartbeats carry them so that a dashboard shows rates without scraping every host
 * (PROTOCOL.md §8.5).
 */
public final class InvocationCounts {
  /** Counts of one actor: every guest call, and those that did not succeed. */
  public record Count(long total, long failed) {}

  private InvocationCounts() {}

  /** Counts of the given actors (public keys); an actor not yet called counts zero. */
  public static Map<String, Count> of(MeterRegistry registry, Collection<String> actors) {
    Map<String, long[]> sums = new TreeMap<>();
    for (String a : actors) {
      sums.put(a, new long[2]);
    }
    for (Timer t : registry.find("trellis.actor.invocations").timers()) {
      long[] sum = sums.get(t.getId().getTag("actor"));
      if (sum == null) {
        continue; // an actor that no longer runs here
      }
      long n = t.count();
      sum[0] += n;
      if (!"success".equals(t.getId().getTag("outcome"))) {
        sum[1] += n;
      }
    }
    Map<String, Count> out = new TreeMap<>();
    sums.forEach((a, s) -> out.put(a, new Count(s[0], s[1])));
    return out;
  }
}
