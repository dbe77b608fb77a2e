package io.trellis.wasmbus.interfaces;

import io.trellis.wasmbus.msgpack.MsgPackReader;
import io.trellis.wasmbus.msgpack.MsgPackWriter;
import java.util.List;
import java.util.Map;

/**
 * {@code wasmcloud:httpclient} HttpClient.Request input (PROTOCOL.md §5.2); note the plural {@code
 * headers}.
 */
public record HttpClientRequest(
    String method, String url, Map<String, List<String>> headers, byte[] body) {

  public static final String OPERATION = "HttpClient.Request";

  public HttpClientRequest {
    headers = headers == null ? Map.of() : headers;
    body = body == null ? new byte[0] : body;
  }

  public byte[] toMsgPack() {
    MsgPackWriter w = MsgPackWriter.create(body.length + 128);
    w.map(4).field("method", method).field("url", url);
    w.str("headers").headerMap(headers);
    w.field("body", body);
    return w.toByteArray();
  }

  public static HttpClientRequest fromMsgPack(byte[] bytes) {
    try (MsgPackReader r = MsgPackReader.of(bytes, "HttpClient.Request")) {
      int n = r.mapHeader("HttpClient.Request");
      String method = "GET";
      String url = "";
      Map<String, List<String>> headers = Map.of();
      byte[] body = new byte[0];
      for (int i = 0; i < n; i++) {
        switch (r.key()) {
          case "method" -> method = r.string("method");
          case "url" -> url = r.string("url");
          case "headers" -> headers = r.headerMap("headers");
          case "body" -> body = r.bytes("body");
          default -> r.skip();
        }
      }
      return new HttpClientRequest(method, url, headers, body);
    }
  }
}
