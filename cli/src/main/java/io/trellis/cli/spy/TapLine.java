package io.trellis.cli.spy;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.cli.call.MsgPackJson;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Formats one tapped invocation (PROTOCOL.md §16.3) for people: names, bodies as JSON, latency. */
final class TapLine {
  private TapLine() {}

  static String format(JsonNode e, Map<String, String> names) {
    StringBuilder b = new StringBuilder();
    b.append(e.path("time").asText())
        .append(' ')
        .append(e.path("direction").asText().equals("out") ? "OUT " : "IN  ")
        .append(entity(e.path("origin"), names))
        .append(" -> ")
        .append(entity(e.path("target"), names))
        .append("  ")
        .append(e.path("operation").asText())
        .append(String.format("  %.3f ms", e.path("latency_us").asLong() / 1000.0));
    b.append("\n  request:  ").append(body(e, "request"));
    if (e.hasNonNull("error")) {
      b.append("\n  error:    ").append(e.path("error").asText());
    } else if (e.has("response")) {
      b.append("\n  response: ").append(body(e, "response"));
    }
    return b.toString();
  }

  private static String entity(JsonNode n, Map<String, String> names) {
    String key = n.path("public_key").asText();
    String contract = n.path("contract_id").asText();
    String name = names.getOrDefault(key, shortKey(key));
    return contract.isEmpty() ? name : name + " (" + contract + ")";
  }

  private static String shortKey(String key) {
    return key.length() > 12 ? key.substring(0, 12) + "…" : key;
  }

  /** msgpack as JSON when it decodes, else UTF-8 text, else base64; truncation said. */
  static String body(JsonNode e, String name) {
    byte[] bytes = Base64.getDecoder().decode(e.path(name).asText());
    long size = e.path(name + "_size").asLong(bytes.length);
    boolean truncated = e.path(name + "_truncated").asBoolean(false);
    String shown;
    if (bytes.length == 0) {
      shown = "(empty)";
    } else if (!truncated && decodes(bytes)) {
      shown = MsgPackJson.toJson(bytes).toString();
    } else {
      shown = text(bytes);
    }
    return truncated ? shown + " … (" + bytes.length + " of " + size + " bytes shown)" : shown;
  }

  private static boolean decodes(byte[] bytes) {
    try {
      MsgPackJson.toJson(bytes);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String text(byte[] bytes) {
    try {
      return "\""
          + StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString()
          + "\"";
    } catch (CharacterCodingException e) {
      return "base64:" + Base64.getEncoder().encodeToString(bytes);
    }
  }
}
