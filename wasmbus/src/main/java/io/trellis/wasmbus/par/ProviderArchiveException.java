package io.trellis.wasmbus.par;

import io.trellis.wasmbus.LatticeException;

/** A provider archive (PAR) that cannot be used. Subtypes say exactly why. */
public abstract sealed class ProviderArchiveException extends LatticeException
    permits MalformedArchiveException,
        MissingArchiveClaimsException,
        InvalidArchiveClaimsException,
        BinaryHashMismatchException,
        NoBinaryForTargetException {
  private static final long serialVersionUID = 1L;

  protected ProviderArchiveException(String message) {
    super(message);
  }

  protected ProviderArchiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
