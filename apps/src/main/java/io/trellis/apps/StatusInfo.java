package io.trellis.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.wasmbus.json.Json;
import java.util.List;
import java.util.stream.Collectors;

/** A status and the message that says why: wadm's {@code StatusInfo} {@code {type, message}}. */
public record StatusInfo(StatusType type, String message) {
  public static StatusInfo deployed(String message) {
    return new StatusInfo(StatusType.DEPLOYED, message);
  }

  public static StatusInfo reconciling(String message) {
    return new StatusInfo(StatusType.RECONCILING, message);
  }

  public static StatusInfo failed(String message) {
    return new StatusInfo(StatusType.FAILED, message);
  }

  public static StatusInfo undeployed(String message) {
    return new StatusInfo(StatusType.UNDEPLOYED, message);
  }

  /**
   * The aggregate of several statuses: the combined type, and the messages of the parts that have
   * that type (the ones that explain it), joined with "; ".
   */
  public static StatusInfo aggregate(List<StatusInfo> parts, String whenAllDeployed) {
    if (parts.isEmpty()) {
      return deployed(whenAllDeployed);
    }
    StatusType t = parts.get(0).type();
    for (StatusInfo p : parts) {
      t = t.and(p.type());
    }
    StatusType type = t;
    if (type == StatusType.DEPLOYED) {
      return deployed(whenAllDeployed);
    }
    String why =
        parts.stream()
            .filter(p -> p.type() == type && !p.message().isEmpty())
            .map(StatusInfo::message)
            .distinct()
            .collect(Collectors.joining("; "));
    return new StatusInfo(type, why);
  }

  public ObjectNode toJsonNode() {
    ObjectNode o = Json.MAPPER.createObjectNode().put("type", type.wire());
    if (!message.isEmpty()) {
      o.put("message", message);
    }
    return o;
  }

  public static StatusInfo fromJson(JsonNode n) {
    return new StatusInfo(
        StatusType.fromWire(n.path("type").asText("")), n.path("message").asText(""));
  }
}
