package io.trellis.host.nats;

import io.trellis.wasmbus.LatticeException;

/** The host could not make its initial connection to NATS. */
public final class NatsConnectException extends LatticeException {
  private static final long serialVersionUID = 1L;

  public NatsConnectException(String message, Throwable cause) {
    super(message, cause);
  }
}
