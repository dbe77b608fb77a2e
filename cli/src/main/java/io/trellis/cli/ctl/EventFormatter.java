package io.trellis.cli.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.ctl.LatticeEventMessage;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One readable line per lattice event: time, type, and the fields that matter for that type
 * (PROTOCOL.md §8.5).
 */
final class EventFormatter {
  private EventFormatter() {}

  static String line(LatticeEventMessage e) {
    String time = e.time() == null ? "?" : DateTimeFormatter.ISO_INSTANT.format(e.time());
    return time + "  " + pad(e.type(), 22) + "  " + describe(e);
  }

  static String describe(LatticeEventMessage e) {
    String host = "host " + e.source();
    return switch (e.type()) {
      case "host_heartbeat" ->
          host
              + " ("
              + e.text("friendly_name")
              + "): "
              + actorSummary(e.data().path("actors"))
              + ", "
              + e.data().path("providers").size()
              + " provider(s), up "
              + e.text("uptime_human");
      case "host_started" ->
          host
              + " ("
              + e.text("friendly_name")
              + ") started, labels "
              + KeyValues.show(map(e.data().path("labels")));
      case "host_stopped" -> host + " stopped";
      case "actor_started" ->
          "actor "
              + e.text("public_key")
              + named(e)
              + " instance "
              + e.text("instance_id")
              + " on "
              + host;
      case "actors_started" ->
          e.text("count")
              + " instance(s) of actor "
              + e.text("public_key")
              + named(e)
              + " started on "
              + host
              + " from "
              + e.text("image_ref");
      case "actor_stopped" ->
          "actor "
              + e.text("public_key")
              + " instance "
              + e.text("instance_id")
              + " stopped on "
              + host;
      case "actors_stopped" ->
          e.text("count")
              + " instance(s) of actor "
              + e.text("public_key")
              + " stopped on "
              + host
              + ", "
              + e.text("remaining")
              + " remaining";
      case "actor_start_failed" ->
          "actor " + e.text("actor_ref") + " failed to start on " + host + ": " + e.text("error");
      case "actors_start_failed" ->
          "actor " + e.text("image_ref") + " failed to start on " + host + ": " + e.text("error");
      case "actor_updated" ->
          "actor "
              + e.text("public_key")
              + " instance "
              + e.text("instance_id")
              + " updated to revision "
              + e.text("revision")
              + " on "
              + host;
      case "actor_update_failed" ->
          "actor "
              + e.text("public_key")
              + " instance "
              + e.text("instance_id")
              + " failed to update to revision "
              + e.text("revision")
              + " on "
              + host
              + ": "
              + e.text("reason");
      case "provider_started" ->
          "provider "
              + e.text("public_key")
              + named(e)
              + " link name '"
              + e.text("link_name")
              + "' ("
              + e.text("contract_id")
              + ") started on "
              + host;
      case "provider_stopped" ->
          "provider "
              + e.text("public_key")
              + " link name '"
              + e.text("link_name")
              + "' stopped on "
              + host
              + (e.text("reason").isEmpty() ? "" : ": " + e.text("reason"));
      case "provider_start_failed" ->
          "provider "
              + e.text("provider_ref")
              + " link name '"
              + e.text("link_name")
              + "' failed to start on "
              + host
              + ": "
              + e.text("error");
      case "health_check_passed", "health_check_failed", "health_check_status" ->
          "provider "
              + e.text("public_key")
              + " link name '"
              + e.text("link_name")
              + "' ("
              + e.text("contract_id")
              + ") on "
              + host;
      case "linkdef_set", "linkdef_deleted" ->
          "link "
              + e.text("actor_id")
              + " -> "
              + e.text("provider_id")
              + " "
              + e.text("contract_id")
              + " link name '"
              + e.text("link_name")
              + "' values "
              + KeyValues.show(map(e.data().path("values")));
      case "linkdef_set_failed" ->
          "provider "
              + e.text("provider_id")
              + " link name '"
              + e.text("link_name")
              + "' on "
              + host
              + " refused the link of actor "
              + e.text("actor_id")
              + ": "
              + e.text("error");
      case "refmap_set" -> e.text("oci_url") + " -> " + e.text("public_key");
      default -> "from " + e.source() + ": " + e.data();
    };
  }

  private static String named(LatticeEventMessage e) {
    String name = e.at("/claims/name").asText("");
    return name.isEmpty() ? "" : " (" + name + ")";
  }

  private static String actorSummary(JsonNode actors) {
    int instances = 0;
    if (actors.isObject()) {
      for (JsonNode n : actors) {
        instances += n.asInt();
      }
    } else {
      instances = actors.size(); // ≤0.59 heartbeats list one entry per instance
    }
    return actors.size() + " actor(s) (" + instances + " instance(s))";
  }

  private static Map<String, String> map(JsonNode n) {
    Map<String, String> m = new LinkedHashMap<>();
    n.properties().forEach(p -> m.put(p.getKey(), p.getValue().asText()));
    return m;
  }

  private static String pad(String s, int w) {
    return s.length() >= w ? s : s + " ".repeat(w - s.length());
  }
}
