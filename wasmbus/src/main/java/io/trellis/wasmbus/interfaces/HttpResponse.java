package io.trellis.wasmbus.interfaces;

import io.trellis.wasmbus.msgpack.MsgPackReader;
import io.trellis.wasmbus.msgpack.MsgPackWriter;
import java.util.List;
import java.util.Map;

/**
 * HttpResponse of both {@code wasmcloud:httpserver} (actor to provider) and {@code
 * wasmcloud:httpclient} (provider to actor): the wire shape is the same, note the singular {@code
 * header} (PROTOCOL.md §5.1, §5.2).
 */
public record HttpResponse(int statusCode, Map<String, List<String>> header, byte[] body) {

  public HttpResponse {
    header = header == null ? Map.of() : header;
    body = body == null ? new byte[0] : body;
  }

  public byte[] toMsgPack() {
    MsgPackWriter w = MsgPackWriter.create(body.length + 64);
    w.map(3).field("statusCode", statusCode);
    w.str("header").headerMap(header);
    w.field("body", body);
    return w.toByteArray();
  }

  public static HttpResponse fromMsgPack(byte[] bytes) {
    try (MsgPackReader r = MsgPackReader.of(bytes, "HttpResponse")) {
      int n = r.mapHeader("HttpResponse");
      int status = 200;
      Map<String, List<String>> header = Map.of();
      byte[] body = new byte[0];
      for (int i = 0; i < n; i++) {
        switch (r.key()) {
          case "statusCode" -> status = r.intValue("statusCode", 200);
          case "header" -> header = r.headerMap("header");
          case "body" -> body = r.bytes("body");
          default -> r.skip();
        }
      }
      return new HttpResponse(status, header, body);
    }
  }
}
