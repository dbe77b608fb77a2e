package io.trellis.provider.sdk;

import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.rpc.WasmCloudEntity;

/**
 * Who sent an invocation: a linked actor.
 *
 * @param actorId the actor's public key ({@code M...})
 * @param link the link through which it calls (its values carry the per-actor settings)
 * @param invocationId the invocation's id, for logs
 */
public record Caller(String actorId, LinkDefinition link, String invocationId, WasmCloudEntity origin) {}
