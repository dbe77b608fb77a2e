package io.trellis.cli.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

/** JSON output: the wire shapes of replies (PROTOCOL.md §8), so scripts see what hosts send. */
public final class JsonOut {
  private JsonOut() {}

  public static JsonNode tree(byte[] json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectNode object() {
    return Json.MAPPER.createObjectNode();
  }

  /** {@code {"<field>": [toJson(item)…]}}. */
  public static <T> ObjectNode list(String field, List<T> items, Function<T, byte[]> toJson) {
    ObjectNode o = object();
    ArrayNode a = o.putArray(field);
    items.forEach(i -> a.add(tree(toJson.apply(i))));
    return o;
  }

  public static ObjectNode ack(Ack ack) {
    return (ObjectNode) tree(ack.toJson());
  }

  public static void print(PrintWriter out, JsonNode n) {
    out.println(n.toPrettyString());
    out.flush();
  }
}
