package io.trellis.provider.sdk;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.trellis.tracing.Tracing;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.rpc.InvocationClient;
import io.trellis.wasmbus.rpc.InvocationOutcome;
import io.trellis.wasmbus.rpc.InvocationResponse;
import io.trellis.wasmbus.rpc.RequestFailure;
import io.trellis.wasmbus.rpc.RequestFailure.BadReply;
import io.trellis.wasmbus.rpc.RequestFailure.Cancelled;
import io.trellis.wasmbus.rpc.RequestFailure.ConnectionLost;
import io.trellis.wasmbus.rpc.RequestFailure.Failed;
import io.trellis.wasmbus.rpc.RequestFailure.NoResponders;
import io.trellis.wasmbus.rpc.RequestFailure.TimedOut;
import io.trellis.wasmbus.rpc.WasmCloudEntity;
import io.trellis.wasmbus.subjects.Subjects;
import java.time.Duration;

/**
 * Provider → actor calls (PROTOCOL.md §7.3): origin {provider key, link's contract, link name},
 * signed with the host's invocation seed, {@code host_id} = the host's id, chunked over 900 KiB.
 * Sending is {@link InvocationClient}'s; this class names the actor in each {@link
 * ActorCallException}.
 */
final class OutboundCalls {
  private final InvocationClient client;
  private final String lattice;
  private final String providerKey;
  private final Tracing tracing;

  OutboundCalls(InvocationClient client, String lattice, String providerKey, Tracing tracing) {
    this.tracing = tracing;
    this.client = client;
    this.lattice = lattice;
    this.providerKey = providerKey;
  }

  byte[] call(LinkDefinition link, String operation, byte[] payload, Duration timeout) {
    String actorId = link.actorId();
    WasmCloudEntity origin =
        WasmCloudEntity.provider(providerKey, link.contractId(), link.linkName());
    // the invocation sent: a child of whatever span is current (the HTTP request, the message)
    Span span =
        tracing.enabled()
            ? tracing.start("invoke " + operation, SpanKind.CLIENT, Context.current())
            : null;
    InvocationOutcome outcome =
        client.invoke(
            Subjects.actorRpc(lattice, actorId),
            origin,
            WasmCloudEntity.actor(actorId),
            operation,
            payload,
            timeout,
            span == null ? null : Tracing.contextOf(span));
    if (span != null) {
      span.setAttribute("rpc.system", "wasmbus");
      span.setAttribute("rpc.method", operation);
      span.setAttribute("wasmcloud.target", actorId);
      if (!(outcome instanceof InvocationResponse r && r.isSuccess())) {
        Tracing.fail(span, outcome.toString());
      }
      span.end();
    }
    return switch (outcome) {
      case InvocationResponse r when r.isSuccess() -> r.msg();
      case InvocationResponse r -> throw new ActorCallException.ErrorResponse(r.error());
      case RequestFailure f -> throw failure(f, actorId, operation);
    };
  }

  private ActorCallException failure(RequestFailure failure, String actorId, String operation) {
    return switch (failure) {
      case NoResponders() ->
          new ActorCallException.Unreachable(
              "no responders: actor "
                  + actorId
                  + " is not running on any host of lattice '"
                  + lattice
                  + "'",
              null);
      case TimedOut(Duration waited) ->
          new ActorCallException.Timeout(
              "actor "
                  + actorId
                  + " did not answer "
                  + operation
                  + " within "
                  + waited.toMillis()
                  + " ms");
      case ConnectionLost lost ->
          new ActorCallException.Unreachable(
              "calling actor " + actorId + ": the NATS connection is " + lost.describe(), null);
      case Cancelled() ->
          new ActorCallException.Failed("interrupted while calling actor " + actorId, null);
      case Failed f ->
          new ActorCallException.Failed("calling actor " + actorId + ": " + f.message(), f.cause());
      case BadReply b ->
          new ActorCallException.Failed(
              "actor " + actorId + " sent an unusable response: " + b.message(), b.cause());
    };
  }
}
