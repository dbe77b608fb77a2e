package io.trellis.lattice;

import io.trellis.wasmbus.LatticeException;

/**
 * The lattice bucket could not be read or written: the NATS connection is down, JetStream (or the
 * configured domain) does not answer, the request timed out or JetStream refused it. The message
 * names the bucket, the key when there is one, and the cause. A write that throws this was not
 * applied; nothing is queued or retried behind the caller's back.
 */
public final class LatticeStoreUnavailableException extends LatticeException {
  private static final long serialVersionUID = 1L;

  public LatticeStoreUnavailableException(String message) {
    super(message);
  }

  public LatticeStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
