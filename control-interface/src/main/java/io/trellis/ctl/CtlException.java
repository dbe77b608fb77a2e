package io.trellis.ctl;

import io.trellis.wasmbus.LatticeException;
import org.jspecify.annotations.Nullable;

/**
 * Root of the control-interface client's failures. Each subtype is one thing that went wrong
 * between this client and the lattice; the message names the host, subject or reference involved.
 */
public abstract sealed class CtlException extends LatticeException
    permits CtlConnectException,
        CtlTimeoutException,
        NoRespondersException,
        CtlRejectedException,
        BadReplyException,
        StartFailedException {
  private static final long serialVersionUID = 1L;

  CtlException(String message) {
    super(message);
  }

  CtlException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
