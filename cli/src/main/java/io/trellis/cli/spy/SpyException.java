package io.trellis.cli.spy;

import io.trellis.wasmbus.LatticeException;

/** The spy cannot watch: unknown actor, no host running it. The message says which. */
final class SpyException extends LatticeException {
  private static final long serialVersionUID = 1L;

  SpyException(String message) {
    super(message);
  }
}
