package io.trellis.provider.sdk;

import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.rpc.WasmCloudEntity;

/**
 * Who sent an invocation: a linked actor.
 *
 * @param link the link through which it calls (its values carry the per-actor settings)
 * @param invocationId the invocation's id, for logs
 * @param origin the invocation's origin as signed
 */
public record Caller(LinkDefinition link, String invocationId, WasmCloudEntity origin) {
  /** The actor's public key ({@code M...}). */
  public String actorId() {
    return link.actorId();
  }
}
