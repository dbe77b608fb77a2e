package io.trellis.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.trellis.wasmbus.rpc.TraceContext;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * One process's tracing: an OpenTelemetry SDK exporting OTLP when the standard {@code OTEL_*}
 * variables ask for it ({@code OTEL_TRACES_EXPORTER=otlp}), otherwise off. Off, {@link #enabled()}
 * is false and callers skip every span: no span, context or string is made per invocation.
 *
 * <p>Each host (and each provider process) has its own instance, never the global one: tests run
 * several hosts in one JVM, each with its own settings. Thread-safe.
 */
public final class Tracing implements AutoCloseable {
  /** The MDC keys JSON logs carry while a span is active. */
  public static final String TRACE_ID = "trace_id";

  public static final String SPAN_ID = "span_id";

  private static final Tracing OFF = new Tracing(null);
  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final String INSTRUMENTATION = "io.trellis";

  private final @Nullable OpenTelemetrySdk sdk;
  private final Tracer tracer;

  private Tracing(@Nullable OpenTelemetrySdk sdk) {
    this.sdk = sdk;
    this.tracer =
        sdk == null
            ? OpenTelemetry.noop().getTracer(INSTRUMENTATION)
            : sdk.getTracer(INSTRUMENTATION);
  }

  /** Tracing that does nothing. */
  public static Tracing off() {
    return OFF;
  }

  /** True when {@code env} asks for trace export (and the SDK is not disabled). */
  public static boolean requested(Map<String, String> env) {
    if (Boolean.parseBoolean(env.getOrDefault("OTEL_SDK_DISABLED", "false").strip())) {
      return false;
    }
    String exporters = env.getOrDefault("OTEL_TRACES_EXPORTER", "").toLowerCase(Locale.ROOT);
    for (String e : exporters.split(",")) {
      if (e.strip().equals("otlp")) {
        return true;
      }
    }
    return false;
  }

  /** The {@code OTEL_*} entries of {@code env}, e.g. to hand on to child processes. */
  public static Map<String, String> variables(Map<String, String> env) {
    Map<String, String> otel = new TreeMap<>();
    env.forEach(
        (k, v) -> {
          if (k.startsWith("OTEL_")) {
            otel.put(k, v);
          }
        });
    return otel;
  }

  /**
   * Tracing as {@code env} asks: off unless {@link #requested}; otherwise the SDK configured from
   * the {@code OTEL_*} entries of {@code env} (on top of the process environment), exporting traces
   * only (metrics stay with Prometheus), over OTLP http/protobuf unless the variables say
   * otherwise.
   *
   * @param serviceName {@code service.name} unless {@code OTEL_SERVICE_NAME} sets one
   * @throws InvalidTracingConfigException when the SDK refuses the settings (the message names
   *     them)
   */
  public static Tracing fromEnvironment(Map<String, String> env, String serviceName) {
    if (!requested(env)) {
      return OFF;
    }
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.service.name", serviceName);
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    Map<String, String> overrides = new HashMap<>();
    variables(env).forEach((k, v) -> overrides.put(property(k), v));
    overrides.put("otel.metrics.exporter", "none");
    overrides.put("otel.logs.exporter", "none");
    try {
      OpenTelemetrySdk sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              .addPropertiesSupplier(() -> defaults)
              .addPropertiesCustomizer(config -> overrides)
              .disableShutdownHook()
              .build()
              .getOpenTelemetrySdk();
      return new Tracing(sdk);
    } catch (RuntimeException e) {
      throw new InvalidTracingConfigException(
          "cannot set up OpenTelemetry tracing from "
              + variables(env).keySet()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** {@code OTEL_EXPORTER_OTLP_ENDPOINT} → {@code otel.exporter.otlp.endpoint}. */
  static String property(String variable) {
    return variable.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  public boolean enabled() {
    return sdk != null;
  }

  public Tracer tracer() {
    return tracer;
  }

  /** Starts a span under {@code parent}. */
  public Span start(String name, SpanKind kind, Context parent) {
    return tracer.spanBuilder(name).setSpanKind(kind).setParent(parent).startSpan();
  }

  /** A span whose parent is the remote context an invocation carried (a root span when none). */
  public Span startRemoteChild(String name, SpanKind kind, @Nullable TraceContext received) {
    return start(name, kind, parent(received));
  }

  /** The context to start children of {@code received} in; the root context when null or bad. */
  public static Context parent(@Nullable TraceContext received) {
    if (received == null) {
      return Context.root();
    }
    return W3C.extract(Context.root(), received, TRACE_CONTEXT_GETTER);
  }

  /** The W3C strings of {@code span}, to send with an invocation; null for an invalid span. */
  public static @Nullable TraceContext contextOf(Span span) {
    SpanContext sc = span.getSpanContext();
    if (!sc.isValid()) {
      return null;
    }
    Map<String, String> carrier = new HashMap<>(4);
    W3C.inject(Context.root().with(span), carrier, MAP_SETTER);
    return TraceContext.fromMap(carrier);
  }

  /** Marks {@code span} failed with {@code message}. */
  public static void fail(Span span, String message) {
    span.setStatus(StatusCode.ERROR, message);
  }

  /**
   * Makes {@code span} current on this thread for the scope's life and puts its ids in the MDC, so
   * every log line written meanwhile carries {@code trace_id} and {@code span_id}. The scope is per
   * call: it ends (and the MDC entries go) before the thread serves anything else.
   */
  public static Scope activate(Span span) {
    SpanContext sc = span.getSpanContext();
    String previousTrace = MDC.get(TRACE_ID);
    String previousSpan = MDC.get(SPAN_ID);
    Scope scope = span.makeCurrent();
    MDC.put(TRACE_ID, sc.getTraceId());
    MDC.put(SPAN_ID, sc.getSpanId());
    return () -> {
      scope.close();
      restore(TRACE_ID, previousTrace);
      restore(SPAN_ID, previousSpan);
    };
  }

  private static void restore(String key, @Nullable String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  /** Exports what is buffered and stops; waits up to 5 s. */
  @Override
  public void close() {
    if (sdk != null) {
      CompletableResultCode done = sdk.shutdown();
      done.join(5, TimeUnit.SECONDS);
    }
  }

  private static final TextMapGetter<TraceContext> TRACE_CONTEXT_GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(TraceContext carrier) {
          return List.of(TraceContext.TRACEPARENT, TraceContext.TRACESTATE);
        }

        @Override
        public @Nullable String get(@Nullable TraceContext carrier, String key) {
          if (carrier == null) {
            return null;
          }
          return switch (key) {
            case TraceContext.TRACEPARENT -> carrier.traceparent();
            case TraceContext.TRACESTATE -> carrier.tracestate();
            default -> null;
          };
        }
      };

  private static final TextMapSetter<Map<String, String>> MAP_SETTER =
      (carrier, key, value) -> {
        if (carrier != null) {
          carrier.put(key, value);
        }
      };
}
