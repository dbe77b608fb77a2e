package io.trellis.wasmbus.claims;

import io.trellis.wasmbus.LatticeException;

/** Bytes that are not a well-formed WebAssembly module at the section level. */
public final class MalformedModuleException extends LatticeException {
  private static final long serialVersionUID = 1L;

  public MalformedModuleException(String message) {
    super(message);
  }
}
