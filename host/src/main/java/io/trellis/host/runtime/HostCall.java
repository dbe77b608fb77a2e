package io.trellis.host.runtime;

/**
 * A {@code __host_call} made by an actor: binding (link name, or "" for actor-to-actor), namespace
 * (contract id, actor key or call alias), operation and payload.
 */
public record HostCall(
    ActorModule caller, String binding, String namespace, String operation, byte[] payload) {}
