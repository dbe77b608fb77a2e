package io.trellis.cli.call;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.interfaces.HttpResponse;
import io.trellis.wasmbus.json.Json;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code --http METHOD PATH}: the httpserver provider's request (PROTOCOL.md §5.1), and its
 * response shown.
 */
final class HttpCall {
  private HttpCall() {}

  /** PATH may carry a query ({@code /items?page=2}); headers are {@code name:value}. */
  static HttpRequest request(
      String method, String pathAndQuery, @Nullable List<String> headers, byte[] body) {
    String path = pathAndQuery;
    String query = "";
    int q = pathAndQuery.indexOf('?');
    if (q >= 0) {
      path = pathAndQuery.substring(0, q);
      query = pathAndQuery.substring(q + 1);
    }
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    Map<String, List<String>> header = new LinkedHashMap<>();
    for (String h : headers == null ? List.<String>of() : headers) {
      int colon = h.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("--header '" + h + "' must look like name:value");
      }
      header
          .computeIfAbsent(
              h.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(h.substring(colon + 1).strip());
    }
    return new HttpRequest(method.toUpperCase(Locale.ROOT), path, query, header, body);
  }

  static void printText(PrintWriter out, HttpResponse r) {
    out.println("HTTP " + r.statusCode());
    r.header().forEach((k, vs) -> vs.forEach(v -> out.println(k + ": " + v)));
    out.println();
    if (MsgPackJson.utf8(r.body())) {
      out.println(new String(r.body(), StandardCharsets.UTF_8));
    } else {
      out.println(
          "("
              + r.body().length
              + " bytes of binary body, base64) "
              + Base64.getEncoder().encodeToString(r.body()));
    }
    out.flush();
  }

  static ObjectNode json(HttpResponse r) {
    ObjectNode o = Json.MAPPER.createObjectNode().put("status", r.statusCode());
    ObjectNode h = o.putObject("header");
    r.header()
        .forEach(
            (k, vs) -> {
              ArrayNode a = h.putArray(k);
              vs.forEach(a::add);
            });
    if (MsgPackJson.utf8(r.body())) {
      o.put("body", new String(r.body(), StandardCharsets.UTF_8));
    } else {
      o.put("body_base64", Base64.getEncoder().encodeToString(r.body()));
    }
    return o;
  }
}
