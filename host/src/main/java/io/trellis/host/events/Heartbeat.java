package io.trellis.host.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.host.metrics.InvocationCounts;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The v0.63 {@code host_heartbeat} data (PROTOCOL.md §8.5) and its uptime formatting. */
public final class Heartbeat {
  /** A provider as heartbeats list it. */
  public record ProviderRef(String publicKey, String linkName, String contractId) {}

  private Heartbeat() {}

  public static ObjectNode data(
      Map<String, Integer> actors,
      List<ProviderRef> providers,
      Map<String, String> labels,
      String friendlyName,
      String version,
      Duration uptime) {
    ObjectNode d = EventPublisher.data();
    ObjectNode a = d.putObject("actors");
    actors.forEach(a::put);
    ArrayNode p = d.putArray("providers");
    for (ProviderRef r : providers) {
      ObjectNode o = p.addObject();
      o.put("public_key", r.publicKey());
      o.put("link_name", r.linkName());
      o.put("contract_id", r.contractId());
    }
    ObjectNode l = d.putObject("labels");
    labels.forEach(l::put);
    d.put("friendly_name", friendlyName);
    d.put("version", version);
    d.put("uptime_seconds", uptime.toSeconds());
    d.put("uptime_human", human(uptime));
    return d;
  }

  /**
   * Trellis' additions to the heartbeat (PROTOCOL.md §8.5): when to expect the next one, so an
   * observer can tell a silent host from a slow one, and each running actor's invocation counts
   * since start. Other readers ignore unknown fields.
   */
  public static ObjectNode withTrellisFields(
      ObjectNode data, Duration interval, Map<String, InvocationCounts.Count> invocations) {
    data.put("heartbeat_interval_ms", interval.toMillis());
    ObjectNode inv = data.putObject("invocations");
    invocations.forEach(
        (actor, c) -> inv.putObject(actor).put("total", c.total()).put("failed", c.failed()));
    return data;
  }

  /** "1 day, 2 hours, 3 minutes, 4 seconds", dropping zero parts; "0 seconds" at start. */
  public static String human(Duration d) {
    long s = d.toSeconds();
    long days = s / 86400;
    long hours = s % 86400 / 3600;
    long minutes = s % 3600 / 60;
    long seconds = s % 60;
    StringBuilder b = new StringBuilder();
    part(b, days, "day");
    part(b, hours, "hour");
    part(b, minutes, "minute");
    part(b, seconds, "second");
    return b.length() == 0 ? "0 seconds" : b.toString();
  }

  private static void part(StringBuilder b, long n, String unit) {
    if (n > 0) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(n).append(' ').append(unit).append(n == 1 ? "" : "s");
    }
  }
}
