package io.trellis.host.policy;

import io.trellis.wasmbus.rpc.WasmCloudEntity;
import org.jspecify.annotations.Nullable;

/** Finds what is known of an invocation's caller, for the {@code source} of a policy request. */
@FunctionalInterface
public interface ClaimsLookup {
  /**
   * @return the caller with its claims, or null when nothing is known of it
   */
  @Nullable PolicySource source(WasmCloudEntity origin);
}
