package io.trellis.host.runtime;

import io.trellis.wasmbus.rpc.TraceContext;
import org.jspecify.annotations.Nullable;

/**
 * A {@code __host_call} made by an actor: binding (link name, or "" for actor-to-actor), namespace
 * (contract id, actor key or call alias), operation and payload.
 *
 * @param trace the trace context of the actor call that made it (PROTOCOL.md §16.1), carried with
 *     the call rather than in a thread-local so that the outbound invocation continues the trace
 *     whatever thread routes it; null when the call is not traced
 */
public record HostCall(
    ActorModule caller,
    String binding,
    String namespace,
    String operation,
    byte[] payload,
    @Nullable TraceContext trace) {
  public HostCall(
      ActorModule caller, String binding, String namespace, String operation, byte[] payload) {
    this(caller, binding, namespace, operation, payload, null);
  }
}
