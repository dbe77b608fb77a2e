package io.trellis.host.runtime;

import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.Claims;
import io.trellis.wasmbus.claims.SignedModule;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A verified actor module: its claims (signature, hash and validity checked) and its shared,
 * compiled code. Loading the same bytes twice shares the code.
 */
public final class ActorModule {
  private final SignedModule signed;
  private final CompiledCode code;
  private final List<WasmbusImports.Binding> importPlan;

  /** Built by {@link ActorRuntime#load}. */
  ActorModule(SignedModule signed, CompiledCode code, List<WasmbusImports.Binding> importPlan) {
    this.signed = signed;
    this.code = code;
    this.importPlan = importPlan;
  }

  public String publicKey() {
    return signed.publicKey();
  }

  public Claims<ActorMetadata> claims() {
    return signed.claims();
  }

  public ActorMetadata metadata() {
    return signed.metadata();
  }

  public String name() {
    return signed.metadata().name() == null ? "" : signed.metadata().name();
  }

  public String hash() {
    return signed.hash();
  }

  public long revision() {
    return signed.claims().effectiveRevision();
  }

  public @Nullable String callAlias() {
    return signed.metadata().callAlias();
  }

  public boolean hasCapability(String contractId) {
    return signed.metadata().hasCapability(contractId);
  }

  public boolean isCompiled() {
    return code.isCompiled();
  }

  /** How long compiling took, or null while the module still runs interpreted. */
  public @Nullable Duration compileTime() {
    return code.compileTime();
  }

  /** The shared code. */
  CompiledCode code() {
    return code;
  }

  /** The import bindings planned for this module. */
  List<WasmbusImports.Binding> importPlan() {
    return importPlan;
  }

  @Override
  public String toString() {
    return "actor " + publicKey() + " (" + name() + ", rev " + revision() + ")";
  }
}
