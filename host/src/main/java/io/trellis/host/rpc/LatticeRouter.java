package io.trellis.host.rpc;

import io.nats.client.Connection;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.trellis.host.events.EventPublisher;
import io.trellis.host.metrics.RuntimeMetrics;
import io.trellis.host.runtime.HostCall;
import io.trellis.host.runtime.HostCallResult;
import io.trellis.host.runtime.HostCallRouter;
import io.trellis.lattice.LatticeCache;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.chunking.ChunkStore;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.rpc.Invocation;
import io.trellis.wasmbus.rpc.InvocationCodec;
import io.trellis.wasmbus.rpc.InvocationResponse;
import io.trellis.wasmbus.rpc.InvocationSigner;
import io.trellis.wasmbus.rpc.WasmCloudEntity;
import io.trellis.wasmbus.subjects.Subjects;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Routes actors' host calls over the lattice (PROTOCOL.md §6.2): a link for (actor, contract, link
 * name) leads to a provider; a 56-character M key or a call alias leads to an actor. Each call is
 * signed with the cluster key and sent as a NATS request. Every way this can fail has its own
 * message naming the missing piece, because "request timeout" for everything was wasmCloud users'
 * most common complaint.
 */
public final class LatticeRouter implements HostCallRouter {
  private final Connection connection;
  private final LatticeCache cache;
  private final String lattice;
  private final InvocationSigner signer;
  private final ChunkStore chunks;
  private final Duration timeout;
  private final RuntimeMetrics metrics;
  private final EventPublisher events;

  public LatticeRouter(
      Connection connection,
      LatticeCache cache,
      String lattice,
      InvocationSigner signer,
      ChunkStore chunks,
      Duration timeout,
      RuntimeMetrics metrics,
      EventPublisher events) {
    this.connection = connection;
    this.cache = cache;
    this.lattice = lattice;
    this.signer = signer;
    this.chunks = chunks;
    this.timeout = timeout;
    this.metrics = metrics;
    this.events = events;
  }

  /** Where a host call goes; {@code asNamed} is the namespace the actor used (alias or key). */
  record Route(WasmCloudEntity target, String subject, String asNamed) {
    /** For error messages only, so it is built only when something failed. */
    String describe() {
      if (!target.isActor()) {
        return "provider "
            + target.publicKey()
            + " ("
            + target.contractId()
            + ", link '"
            + target.linkName()
            + "')";
      }
      return "actor "
          + target.publicKey()
          + (asNamed.equals(target.publicKey()) ? "" : " (alias " + asNamed + ")");
    }
  }

  @Override
  public HostCallResult route(HostCall call) {
    long t0 = System.nanoTime();
    String actorKey = call.caller().publicKey();
    Route route;
    try {
      route = resolve(actorKey, call.binding(), call.namespace());
    } catch (RouteException e) {
      metrics.hostCall(metricTag(call.namespace()), "unroutable", System.nanoTime() - t0);
      return HostCallResult.err(e.getMessage());
    }
    if (!route.target().isActor() && !call.caller().hasCapability(call.namespace())) {
      // Deny by default even for contract ids without ':' that HostCalls cannot tell from aliases:
      // a link alone never grants a capability the actor was not signed with.
      metrics.hostCall(metricTag(call.namespace()), "unauthorized", System.nanoTime() - t0);
      return HostCallResult.err(
          "Invocation not authorized: actor "
              + actorKey
              + " lacks capability claim "
              + call.namespace());
    }
    WasmCloudEntity origin = WasmCloudEntity.actor(actorKey);
    HostCallResult result = send(origin, route, call.operation(), call.payload());
    metrics.hostCall(
        metricTag(call.namespace()),
        result instanceof HostCallResult.Ok ? "success" : "error",
        System.nanoTime() - t0);
    events.invocationResult(
        result instanceof HostCallResult.Ok,
        origin,
        route.target(),
        call.operation(),
        call.payload().length);
    return result;
  }

  private static String metricTag(String namespace) {
    return namespace.indexOf(':') >= 0 ? namespace : "actor";
  }

  Route resolve(String actorKey, String binding, String namespace) {
    String linkName =
        binding == null || binding.isEmpty() ? LinkDefinition.DEFAULT_LINK_NAME : binding;
    Optional<LinkDefinition> link = cache.link(actorKey, namespace, linkName);
    if (link.isPresent()) {
      LinkDefinition l = link.get();
      return new Route(
          WasmCloudEntity.provider(l.providerId(), namespace, linkName),
          Subjects.providerRpc(lattice, l.providerId(), linkName),
          namespace);
    }
    if (namespace.length() == 56
        && namespace.startsWith("M")
        && KeyPair.isValidPublicKey(namespace, KeyType.MODULE)) {
      return actorRoute(namespace, namespace);
    }
    if (namespace.indexOf(':') >= 0) {
      throw new RouteException(
          "Invocation not authorized: missing link definition for "
              + namespace
              + " on lattice "
              + lattice
              + ": actor "
              + actorKey
              + " has no link for this contract with link"
              + " name '"
              + linkName
              + "' (add one with: trellis ctl link put "
              + actorKey
              + " <provider key> "
              + namespace
              + (linkName.equals("default") ? "" : " --link-name " + linkName)
              + ")");
    }
    Optional<String> aliased = cache.resolveCallAlias(namespace);
    if (aliased.isPresent()) {
      return actorRoute(aliased.get(), namespace);
    }
    throw new RouteException(
        "Call alias not found: "
            + namespace
            + " on lattice "
            + lattice
            + " (no actor in this lattice has claimed that call alias, and it is not an actor key)");
  }

  private Route actorRoute(String key, String asNamed) {
    return new Route(WasmCloudEntity.actor(key), Subjects.actorRpc(lattice, key), asNamed);
  }

  private HostCallResult send(
      WasmCloudEntity origin, Route route, String operation, byte[] payload) {
    Invocation inv;
    try {
      inv = chunks.offload(signer.sign(origin, route.target(), operation, payload));
    } catch (LatticeException e) {
      return HostCallResult.err("Failed to perform RPC call: " + e.getMessage());
    }
    Duration wait = ChunkStore.timeout(inv, timeout);
    CompletableFuture<Message> future =
        connection.request(route.subject(), InvocationCodec.encode(inv));
    Message reply;
    try {
      reply = future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return HostCallResult.err(
          "Failed to perform RPC call: request timeout: "
              + route.describe()
              + " did not answer "
              + operation
              + " within "
              + wait.toMillis()
              + " ms");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof JetStreamStatusException s
          && s.getStatus() != null
          && s.getStatus().isNoResponders()) {
        return HostCallResult.err(
            "Failed to perform RPC call: no responders: nothing is serving "
                + route.describe()
                + " on subject "
                + route.subject()
                + (route.target().isActor()
                    ? " — is the actor running?"
                    : " — is the provider running?"));
      }
      return HostCallResult.err("Failed to perform RPC call: " + e.getCause());
    } catch (CancellationException e) {
      return HostCallResult.err(
          "Failed to perform RPC call: the request to "
              + route.describe()
              + " was cancelled (NATS connection lost?)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      return HostCallResult.err(
          "Failed to perform RPC call: interrupted while waiting for "
              + route.describe()
              + " (the calling actor ran out of time)");
    } finally {
      chunks.release(inv);
    }
    return unpack(reply, route, inv.id());
  }

  private HostCallResult unpack(Message reply, Route route, String id) {
    InvocationResponse resp;
    try {
      resp = InvocationCodec.decodeResponse(reply.getData());
    } catch (LatticeException e) {
      return HostCallResult.err(
          "Failed to perform RPC call: "
              + route.describe()
              + " sent an undecodable response: "
              + e.getMessage());
    }
    if (!resp.isSuccess()) {
      // Verbatim, as the OTP host passes it on: this is the callee's own explanation.
      return HostCallResult.err(resp.error());
    }
    try {
      return HostCallResult.ok(chunks.payload(id, resp));
    } catch (LatticeException e) {
      return HostCallResult.err("Failed to perform RPC call: " + e.getMessage());
    }
  }

  /** A host call that cannot be routed; its message is what the guest reads. */
  static final class RouteException extends LatticeException {
    private static final long serialVersionUID = 1L;

    RouteException(String message) {
      super(message);
    }
  }
}
