package io.trellis.apps.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.wasmbus.json.Json;

/** Builders of wadm's reply shapes (PROTOCOL.md §15.1). */
final class Replies {
  private Replies() {}

  /** wadm's generic error: every operation's result enum has {@code error}. */
  static ObjectNode error(String message) {
    return Json.MAPPER.createObjectNode().put("result", "error").put("message", message);
  }

  static ObjectNode result(String result, String message) {
    return Json.MAPPER.createObjectNode().put("result", result).put("message", message);
  }
}
