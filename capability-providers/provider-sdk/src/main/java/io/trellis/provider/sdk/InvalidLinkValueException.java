package io.trellis.provider.sdk;

import io.trellis.wasmbus.LatticeException;

/** A link value that a provider cannot use; the message names the key and the value. */
public final class InvalidLinkValueException extends LatticeException {
  private static final long serialVersionUID = 1L;

  public InvalidLinkValueException(String message) {
    super(message);
  }
}
