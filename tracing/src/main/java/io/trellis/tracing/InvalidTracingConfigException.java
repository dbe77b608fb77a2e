package io.trellis.tracing;

import io.trellis.wasmbus.LatticeException;

/** The {@code OTEL_*} settings ask for tracing the SDK cannot set up; the message names them. */
public final class InvalidTracingConfigException extends LatticeException {
  private static final long serialVersionUID = 1L;

  public InvalidTracingConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
