package io.trellis.host.config;

import io.trellis.wasmbus.LatticeException;

/**
 * A setting that cannot be used; the message names the setting, where it came from, and the value.
 */
public final class InvalidHostConfigException extends LatticeException {
  private static final long serialVersionUID = 1L;

  public InvalidHostConfigException(String message) {
    super(message);
  }

  public InvalidHostConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
