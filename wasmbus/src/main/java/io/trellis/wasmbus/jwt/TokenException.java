package io.trellis.wasmbus.jwt;

import io.trellis.wasmbus.LatticeException;
import org.jspecify.annotations.Nullable;

/** A wascap JWT that cannot be trusted. Subtypes say why. */
public sealed class TokenException extends LatticeException
    permits MalformedTokenException,
        InvalidSignatureException,
        TokenExpiredException,
        TokenNotYetValidException {
  private static final long serialVersionUID = 1L;

  TokenException(String message) {
    super(message);
  }

  TokenException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
