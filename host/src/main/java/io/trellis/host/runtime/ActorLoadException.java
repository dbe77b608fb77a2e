package io.trellis.host.runtime;

import io.trellis.wasmbus.LatticeException;

/**
 * A module that cannot become an actor: not wasm, missing or bad claims, an import the host cannot
 * provide, or an instantiation failure. The cause keeps the precise type (e.g. a claims error).
 */
public final class ActorLoadException extends LatticeException {
  private static final long serialVersionUID = 1L;

  public ActorLoadException(String message) {
    super(message);
  }

  public ActorLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
