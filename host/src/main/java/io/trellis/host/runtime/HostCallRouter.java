package io.trellis.host.runtime;

/**
 * Routes the host calls the runtime does not handle itself (everything but the builtins) to
 * providers and other actors. The lattice host implements it over NATS; tests plug in their own.
 * Called on the actor call's virtual thread, so blocking is cheap.
 */
@FunctionalInterface
public interface HostCallRouter {
  HostCallResult route(HostCall call);

  /** A router for runtimes with no lattice: every call names what is missing. */
  static HostCallRouter unlinked() {
    return call ->
        HostCallResult.err(
            "Invocation not authorized: missing link definition for "
                + call.namespace()
                + " (this runtime has no lattice router)");
  }
}
