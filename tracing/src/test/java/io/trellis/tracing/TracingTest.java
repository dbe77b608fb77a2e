package io.trellis.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.trellis.wasmbus.rpc.TraceContext;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TracingTest {
  static final String PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  @Test
  void offUnlessTheVariablesAskForOtlp() {
    assertSame(Tracing.off(), Tracing.fromEnvironment(Map.of(), "t"));
    assertFalse(Tracing.requested(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://x:4318")));
    assertFalse(Tracing.requested(Map.of("OTEL_TRACES_EXPORTER", "none")));
    assertTrue(Tracing.requested(Map.of("OTEL_TRACES_EXPORTER", "console, OTLP")));
    assertFalse(
        Tracing.requested(Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_SDK_DISABLED", "true")));
    assertFalse(Tracing.off().enabled());
    assertEquals(
        Map.of("OTEL_A", "1"), Tracing.variables(Map.of("OTEL_A", "1", "WASMCLOUD_X", "2")));
    assertEquals("otel.exporter.otlp.endpoint", Tracing.property("OTEL_EXPORTER_OTLP_ENDPOINT"));
  }

  @Test
  void aChildContinuesTheReceivedTraceAndIsSentOn() {
    try (Tracing t =
        Tracing.fromEnvironment(
            Map.of(
                "OTEL_TRACES_EXPORTER", "otlp",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9"),
            "test")) {
      assertTrue(t.enabled());
      Span child = t.startRemoteChild("child", SpanKind.SERVER, new TraceContext(PARENT, "k=v"));
      SpanContext sc = child.getSpanContext();
      assertEquals("0af7651916cd43dd8448eb211c80319c", sc.getTraceId());
      TraceContext sent = Tracing.contextOf(child);
      assertNotNull(sent);
      assertEquals(
          "00-0af7651916cd43dd8448eb211c80319c-" + sc.getSpanId() + "-01", sent.traceparent());
      assertEquals("k=v", sent.tracestate());
      try (Scope s = Tracing.activate(child)) {
        assertEquals(sc.getTraceId(), MDC.get(Tracing.TRACE_ID));
        assertEquals(sc.getSpanId(), MDC.get(Tracing.SPAN_ID));
      }
      assertNull(MDC.get(Tracing.TRACE_ID));
      child.end();
      // a garbled parent starts a new trace instead of failing the call
      Span fresh = t.startRemoteChild("fresh", SpanKind.SERVER, new TraceContext("garbage", null));
      assertTrue(fresh.getSpanContext().isValid());
      fresh.end();
    }
  }

  @Test
  void offSpansCarryNoContext() {
    Span s = Tracing.off().startRemoteChild("x", SpanKind.SERVER, null);
    assertNull(Tracing.contextOf(s));
  }

  @Test
  void settingsTheSdkRefusesAreNamed() {
    InvalidTracingConfigException e =
        assertThrows(
            InvalidTracingConfigException.class,
            () ->
                Tracing.fromEnvironment(
                    Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_TRACES_SAMPLER", "sometimes"),
                    "t"));
    assertTrue(e.getMessage().contains("OTEL_TRACES_SAMPLER"), e.getMessage());
  }
}
