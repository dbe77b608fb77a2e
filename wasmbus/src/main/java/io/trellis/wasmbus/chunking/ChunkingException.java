package io.trellis.wasmbus.chunking;

import io.trellis.wasmbus.LatticeException;

/** A large payload could not be stored in, or fetched from, the lattice object store. */
public final class ChunkingException extends LatticeException {
  private static final long serialVersionUID = 1L;

  public ChunkingException(String message, Throwable cause) {
    super(message, cause);
  }

  public ChunkingException(String message) {
    super(message);
  }
}
