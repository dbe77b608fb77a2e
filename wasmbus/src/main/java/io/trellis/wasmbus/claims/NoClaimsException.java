package io.trellis.wasmbus.claims;

import io.trellis.wasmbus.LatticeException;

/** A module or archive without a claims token. */
public final class NoClaimsException extends LatticeException {
  private static final long serialVersionUID = 1L;

  public NoClaimsException(String message) {
    super(message);
  }
}
