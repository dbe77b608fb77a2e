package io.trellis.wasmbus.nkeys;

import io.trellis.wasmbus.LatticeException;

/** A seed or public key that is malformed, has a bad checksum, or is of the wrong type. */
public final class InvalidKeyException extends LatticeException {
  private static final long serialVersionUID = 1L;

  public InvalidKeyException(String message) {
    super(message);
  }
}
