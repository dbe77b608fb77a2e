package io.trellis.host.rpc;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.trellis.tracing.Tracing;
import io.trellis.wasmbus.rpc.Invocation;
import io.trellis.wasmbus.rpc.TraceContext;
import io.trellis.wasmbus.rpc.WasmCloudEntity;
import org.jspecify.annotations.Nullable;

/**
 * The host's spans (PROTOCOL.md §16.2): an inbound invocation received and validated (SERVER), the
 * actor call inside it (INTERNAL), each host call the actor makes (CLIENT, its context sent with
 * the outbound invocation). Callers ask {@link #enabled()} first, so with tracing off nothing here
 * runs.
 */
final class RpcSpans {
  private final Tracing tracing;

  RpcSpans(Tracing tracing) {
    this.tracing = tracing;
  }

  boolean enabled() {
    return tracing.enabled();
  }

  /** An inbound invocation for {@code actorKey}, child of the context it carried. */
  Span received(String actorKey, Invocation inv, @Nullable TraceContext carried) {
    Span s = tracing.start("receive " + inv.operation(), SpanKind.SERVER, Tracing.parent(carried));
    s.setAttribute("rpc.system", "wasmbus");
    s.setAttribute("rpc.method", inv.operation());
    s.setAttribute("wasmcloud.invocation.id", inv.id());
    s.setAttribute("wasmcloud.origin", inv.origin().url());
    s.setAttribute("wasmcloud.actor", actorKey);
    return s;
  }

  /** The guest call of {@code actorKey}, inside {@code received}. */
  Span actorCall(Span received, String actorKey, String operation) {
    Span s =
        tracing.start("actor call " + operation, SpanKind.INTERNAL, Context.root().with(received));
    s.setAttribute("wasmcloud.actor", actorKey);
    return s;
  }

  /** A host call of {@code origin} to {@code target}, child of the actor call that made it. */
  Span hostCall(
      @Nullable TraceContext actorCall,
      WasmCloudEntity origin,
      WasmCloudEntity target,
      String operation) {
    String to = target.isActor() ? target.publicKey() : target.contractId();
    Span s =
        tracing.start(
            "host call " + to + " " + operation, SpanKind.CLIENT, Tracing.parent(actorCall));
    s.setAttribute("rpc.system", "wasmbus");
    s.setAttribute("rpc.method", operation);
    s.setAttribute("wasmcloud.origin", origin.url());
    s.setAttribute("wasmcloud.target", target.url());
    return s;
  }

  /** Ends {@code span}, failed when {@code error} is not null. */
  static void end(Span span, @Nullable String error) {
    if (error != null) {
      Tracing.fail(span, error);
    }
    span.end();
  }
}
