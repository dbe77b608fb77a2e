package io.trellis.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One lattice event: a CloudEvents 1.0 structured JSON message from {@code wasmbus.evt.{lattice}}
 * (PROTOCOL.md §8.5).
 *
 * @param type the short event name, e.g. {@code actor_started} (the {@code com.wasmcloud.lattice.}
 *     prefix removed; other types are kept whole)
 * @param source the publishing host's id, or {@code n/a} for link definition events
 * @param time when the host published it; null if the host sent an unreadable time
 * @param id the event's unique id
 * @param data the event payload (an empty object when absent)
 * @param cloudEvent the whole envelope as received, for printing or forwarding
 */
public record LatticeEventMessage(
    String type,
    String source,
    @Nullable Instant time,
    String id,
    JsonNode data,
    JsonNode cloudEvent) {

  public static final String TYPE_PREFIX = "com.wasmcloud.lattice.";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Parses a structured CloudEvent.
   *
   * @return empty when the bytes are not a JSON object with a {@code type}, so one malformed
   *     publisher cannot break a watcher
   */
  public static Optional<LatticeEventMessage> parse(byte[] bytes) {
    JsonNode n;
    try {
      n = MAPPER.readTree(bytes);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (n == null || !n.isObject() || !n.path("type").isTextual()) {
      return Optional.empty();
    }
    String type = n.get("type").asText();
    if (type.startsWith(TYPE_PREFIX)) {
      type = type.substring(TYPE_PREFIX.length());
    }
    Instant time;
    try {
      time = n.hasNonNull("time") ? Instant.parse(n.get("time").asText()) : null;
    } catch (DateTimeParseException e) {
      time = null;
    }
    JsonNode data = n.hasNonNull("data") ? n.get("data") : MAPPER.createObjectNode();
    return Optional.of(
        new LatticeEventMessage(
            type, n.path("source").asText(""), time, n.path("id").asText(""), data, n));
  }

  /** A text field of {@code data}, or "" when absent or null. */
  public String text(String field) {
    JsonNode v = data.path(field);
    return v.isMissingNode() || v.isNull() ? "" : v.asText();
  }

  /** A field of {@code data} by JSON pointer, e.g. {@code /claims/name}; missing node if absent. */
  public JsonNode at(String pointer) {
    JsonNode v = data.at(pointer);
    return v == null ? MissingNode.getInstance() : v;
  }

  @Override
  public String toString() {
    return type + " from " + source + " " + data;
  }
}
