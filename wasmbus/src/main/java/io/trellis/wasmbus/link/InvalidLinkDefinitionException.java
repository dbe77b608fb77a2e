package io.trellis.wasmbus.link;

import io.trellis.wasmbus.LatticeException;

/** A link definition with a missing or wrongly typed field. The message names the field. */
public final class InvalidLinkDefinitionException extends LatticeException {
  private static final long serialVersionUID = 1L;

  public InvalidLinkDefinitionException(String message) {
    super(message);
  }
}
