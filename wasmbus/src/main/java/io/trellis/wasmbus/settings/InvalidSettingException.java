package io.trellis.wasmbus.settings;

import io.trellis.wasmbus.LatticeException;

/** A setting's value cannot be used; the message names the setting and the value. */
public final class InvalidSettingException extends LatticeException {
  private static final long serialVersionUID = 1L;

  public InvalidSettingException(String message) {
    super(message);
  }
}
