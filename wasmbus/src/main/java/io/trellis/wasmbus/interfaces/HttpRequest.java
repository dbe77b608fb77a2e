package io.trellis.wasmbus.interfaces;

import io.trellis.wasmbus.msgpack.MsgPackReader;
import io.trellis.wasmbus.msgpack.MsgPackWriter;
import java.util.List;
import java.util.Map;

/**
 * {@code wasmcloud:httpserver} HttpRequest, sent by the httpserver provider to an actor
 * (PROTOCOL.md §5.1).
 */
public record HttpRequest(
    String method, String path, String queryString, Map<String, List<String>> header, byte[] body) {

  public static final String OPERATION = "HttpServer.HandleRequest";

  public HttpRequest {
    header = header == null ? Map.of() : header;
    body = body == null ? new byte[0] : body;
  }

  public byte[] toMsgPack() {
    MsgPackWriter w = MsgPackWriter.create(body.length + 128);
    w.map(5).field("method", method).field("path", path).field("queryString", queryString);
    w.str("header").headerMap(header);
    w.field("body", body);
    return w.toByteArray();
  }

  public static HttpRequest fromMsgPack(byte[] bytes) {
    try (MsgPackReader r = MsgPackReader.of(bytes, "HttpRequest")) {
      int n = r.mapHeader("HttpRequest");
      String method = "";
      String path = "";
      String query = "";
      Map<String, List<String>> header = Map.of();
      byte[] body = new byte[0];
      for (int i = 0; i < n; i++) {
        switch (r.key()) {
          case "method" -> method = r.string("method");
          case "path" -> path = r.string("path");
          case "queryString" -> query = r.string("queryString");
          case "header" -> header = r.headerMap("header");
          case "body" -> body = r.bytes("body");
          default -> r.skip();
        }
      }
      return new HttpRequest(method, path, query, header, body);
    }
  }
}
