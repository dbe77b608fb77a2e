package io.trellis.wasmbus.ctl;

import io.trellis.wasmbus.LatticeException;

/**
 * A control-interface message that is not valid JSON or not the expected shape; names the field.
 */
public final class CtlParseException extends LatticeException {
  private static final long serialVersionUID = 1L;

  public CtlParseException(String message) {
    super(message);
  }
}
