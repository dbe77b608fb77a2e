package io.trellis.wasmbus.provider;

import io.trellis.wasmbus.LatticeException;
import org.jspecify.annotations.Nullable;

/** The HostData a provider received on stdin cannot be used; the message names the field. */
public final class InvalidHostDataException extends LatticeException {
  private static final long serialVersionUID = 1L;

  public InvalidHostDataException(String message) {
    super(message);
  }

  public InvalidHostDataException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
