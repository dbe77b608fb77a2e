package io.trellis.provider.sdk;

import io.trellis.wasmbus.LatticeException;

/** The provider does not implement the requested operation. */
public final class OperationNotHandledException extends LatticeException {
  private static final long serialVersionUID = 1L;

  public OperationNotHandledException(String operation) {
    super("method not handled: '" + operation + "'");
  }
}
