package io.trellis.provider.sdk;

import io.nats.client.Connection;
import io.trellis.tracing.Tracing;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.provider.HostData;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/** What a running provider can see and do. Thread-safe. */
public interface ProviderContext {
  HostData hostData();

  /** This provider's service key ({@code V...}). */
  default String providerKey() {
    return hostData().providerKey();
  }

  default String linkName() {
    return hostData().linkName();
  }

  default String lattice() {
    return hostData().latticeRpcPrefix();
  }

  /** {@code default_rpc_timeout_ms} from the host. */
  default Duration rpcTimeout() {
    return Duration.ofMillis(hostData().defaultRpcTimeoutMs());
  }

  /**
   * This process's tracing (PROTOCOL.md §16.2): on when the {@code OTEL_*} variables ask for OTLP.
   * A provider that receives requests from outside the lattice (HTTP, messages) starts its span
   * here and makes it current around {@link #callActor}, which continues the trace.
   */
  default Tracing tracing() {
    return Tracing.off();
  }

  /** The provider's lattice NATS connection (shared; do not close it). */
  Connection connection();

  /** The current link of an actor, if it is linked. */
  Optional<LinkDefinition> link(String actorId);

  /** All current links. */
  Collection<LinkDefinition> links();

  /**
   * Calls a linked actor (provider → actor, PROTOCOL.md §7.3) with {@link #rpcTimeout()}: signs
   * with the host's invocation seed, chunks payloads over 900 KiB, de-chunks the answer.
   *
   * @return the actor's result payload
   * @throws ActorCallException with a subtype per failure (not linked, unreachable, timeout, error
   *     answer, transport failure)
   */
  default byte[] callActor(String actorId, String operation, byte[] payload) {
    return callActor(actorId, operation, payload, rpcTimeout());
  }

  byte[] callActor(String actorId, String operation, byte[] payload, Duration timeout);
}
