package io.trellis.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP protobuf trace receiver on a loopback port: what a collector would get from the
 * hosts and providers, decoded with the OTLP protobuf classes, kept as {@link Received} spans.
 */
final class OtlpReceiver implements AutoCloseable {
  /** One exported span, ids in lower-case hex ("" for no parent). */
  record Received(
      String service, String name, String traceId, String spanId, String parentId, int kind) {}

  private final HttpServer server;
  private final List<Received> spans = new CopyOnWriteArrayList<>();

  OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/traces", this::receive);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Received> spans() {
    return List.copyOf(spans);
  }

  private void receive(HttpExchange ex) throws IOException {
    try (ex) {
      InputStream in = ex.getRequestBody();
      if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
        in = new GZIPInputStream(in);
      }
      ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(in.readAllBytes());
      HexFormat hex = HexFormat.of();
      for (ResourceSpans rs : req.getResourceSpansList()) {
        String service =
            rs.getResource().getAttributesList().stream()
                .filter(a -> a.getKey().equals("service.name"))
                .map(KeyValue::getValue)
                .map(v -> v.getStringValue())
                .findFirst()
                .orElse("");
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span s : ss.getSpansList()) {
            spans.add(
                new Received(
                    service,
                    s.getName(),
                    hex.formatHex(s.getTraceId().toByteArray()),
                    hex.formatHex(s.getSpanId().toByteArray()),
                    hex.formatHex(s.getParentSpanId().toByteArray()),
                    s.getKindValue()));
          }
        }
      }
      byte[] ok = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      ex.sendResponseHeaders(200, ok.length == 0 ? -1 : ok.length);
      if (ok.length > 0) {
        ex.getResponseBody().write(ok);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
