package io.trellis.host.runtime;

import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.rpc.TraceContext;
import org.jspecify.annotations.Nullable;

/**
 * Deny-by-default front of every {@code __host_call}: builtins are answered here, contract calls
 * need the contract in the actor's caps, and everything else goes to the lattice router.
 */
final class HostCalls {
  private final HostCallRouter router;
  private final boolean enforceBuiltinCaps;

  public HostCalls(HostCallRouter router, boolean enforceBuiltinCaps) {
    this.router = router;
    this.enforceBuiltinCaps = enforceBuiltinCaps;
  }

  public HostCallResult dispatch(
      ActorModule actor,
      String binding,
      String namespace,
      String operation,
      byte[] payload,
      @Nullable TraceContext trace) {
    if (Contracts.isBuiltin(namespace)) {
      if (enforceBuiltinCaps && !actor.hasCapability(namespace)) {
        return HostCallResult.err(denied(actor, namespace));
      }
      return BuiltinCapabilities.handle(
          actor.publicKey(), actor.name(), namespace, operation, payload);
    }
    // A namespace with ':' is a capability contract; actor keys and call aliases never contain one.
    if (namespace.indexOf(':') >= 0 && !actor.hasCapability(namespace)) {
      return HostCallResult.err(denied(actor, namespace));
    }
    return router.route(new HostCall(actor, binding, namespace, operation, payload, trace));
  }

  /** OTP's text (an actor may match on it), then the actor's key. */
  static String denied(ActorModule actor, String contract) {
    return "Invocation not authorized: missing capability claim for "
        + contract
        + " (actor "
        + actor.publicKey()
        + " is not signed with it)";
  }
}
