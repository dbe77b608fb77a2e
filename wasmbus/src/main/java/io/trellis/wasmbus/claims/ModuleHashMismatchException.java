package io.trellis.wasmbus.claims;

import io.trellis.wasmbus.LatticeException;
import org.jspecify.annotations.Nullable;

/** The module's bytes are not the bytes its claims were signed over: it was altered. */
public final class ModuleHashMismatchException extends LatticeException {
  private static final long serialVersionUID = 1L;

  public ModuleHashMismatchException(@Nullable String claimed, String computed) {
    super(
        "module hash does not match its signed claims (claims say "
            + claimed
            + ", module hashes to "
            + computed
            + "): the module was modified after signing");
  }
}
