package io.trellis.wasmbus.rpc;

import io.nats.client.Message;
import io.nats.client.impl.Headers;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * W3C trace context (PROTOCOL.md §16.1) as it travels with one invocation: the {@code traceparent}
 * and optional {@code tracestate} strings, in NATS headers and in the Invocation's {@code
 * traceContext} field. wasmbus only carries the strings; parsing them and making spans is the
 * tracing module's job, so this library never depends on OpenTelemetry.
 *
 * <p>Absent context is {@code null} everywhere (never an empty instance), so an invocation without
 * tracing allocates nothing for it.
 *
 * @param traceparent {@code 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>}; kept as received
 *     (a receiver that cannot parse it starts a new trace)
 * @param tracestate vendor entries, or null
 */
public record TraceContext(String traceparent, @Nullable String tracestate) {
  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";

  public TraceContext {
    if (traceparent.isEmpty()) {
      throw new IllegalArgumentException("a trace context needs a non-empty traceparent");
    }
    if (tracestate != null && tracestate.isEmpty()) {
      tracestate = null;
    }
  }

  /**
   * The context an inbound invocation carries: the NATS headers first, then the Invocation's {@code
   * traceContext} field (older senders fill only one of them); null when neither has a {@code
   * traceparent}.
   */
  public static @Nullable TraceContext of(Message msg, Invocation inv) {
    if (msg.hasHeaders()) {
      TraceContext fromHeaders = fromHeaders(msg.getHeaders());
      if (fromHeaders != null) {
        return fromHeaders;
      }
    }
    return fromMap(inv.traceContext());
  }

  /** The context in NATS headers, or null without a non-empty {@code traceparent} header. */
  public static @Nullable TraceContext fromHeaders(@Nullable Headers headers) {
    if (headers == null || headers.isEmpty()) {
      return null;
    }
    String parent = headers.getFirst(TRACEPARENT);
    if (parent == null || parent.isBlank()) {
      return null;
    }
    return new TraceContext(parent.strip(), headers.getFirst(TRACESTATE));
  }

  /** The context in a {@code traceContext} map, or null without a non-empty {@code traceparent}. */
  public static @Nullable TraceContext fromMap(Map<String, String> map) {
    if (map.isEmpty()) {
      return null;
    }
    String parent = map.get(TRACEPARENT);
    if (parent == null || parent.isBlank()) {
      return null;
    }
    return new TraceContext(parent.strip(), map.get(TRACESTATE));
  }

  /** The Invocation's {@code traceContext} field. */
  public Map<String, String> asMap() {
    return tracestate == null
        ? Map.of(TRACEPARENT, traceparent)
        : Map.of(TRACEPARENT, traceparent, TRACESTATE, tracestate);
  }

  /** NATS headers carrying this context. */
  public Headers toHeaders() {
    Headers h = new Headers().put(TRACEPARENT, traceparent);
    if (tracestate != null) {
      h.put(TRACESTATE, tracestate);
    }
    return h;
  }

  /** The 32 hex digits of the trace id, or "" when the traceparent is not W3C version 00. */
  public String traceId() {
    return traceparent.length() >= 55 && traceparent.charAt(2) == '-'
        ? traceparent.substring(3, 35)
        : "";
  }
}
