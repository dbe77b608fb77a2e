package io.trellis.wasmbus.msgpack;

import io.trellis.wasmbus.LatticeException;

/** Bytes that do not decode as the msgpack shape a protocol message requires. */
public final class MsgPackException extends LatticeException {
  private static final long serialVersionUID = 1L;

  public MsgPackException(String message) {
    super(message);
  }

  public MsgPackException(String message, Throwable cause) {
    super(message, cause);
  }
}
