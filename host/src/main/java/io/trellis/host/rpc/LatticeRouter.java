package io.trellis.host.rpc;

import io.nats.client.Connection;
import io.opentelemetry.api.trace.Span;
import io.trellis.host.events.EventPublisher;
import io.trellis.host.metrics.RuntimeMetrics;
import io.trellis.host.runtime.HostCall;
import io.trellis.host.runtime.HostCallResult;
import io.trellis.host.runtime.HostCallRouter;
import io.trellis.lattice.LatticeCache;
import io.trellis.tracing.Tracing;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.chunking.ChunkStore;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.rpc.InvocationClient;
import io.trellis.wasmbus.rpc.InvocationOutcome;
import io.trellis.wasmbus.rpc.InvocationResponse;
import io.trellis.wasmbus.rpc.InvocationSigner;
import io.trellis.wasmbus.rpc.RequestFailure;
import io.trellis.wasmbus.rpc.RequestFailure.BadReply;
import io.trellis.wasmbus.rpc.RequestFailure.Cancelled;
import io.trellis.wasmbus.rpc.RequestFailure.ConnectionLost;
import io.trellis.wasmbus.rpc.RequestFailure.Failed;
import io.trellis.wasmbus.rpc.RequestFailure.NoResponders;
import io.trellis.wasmbus.rpc.RequestFailure.TimedOut;
import io.trellis.wasmbus.rpc.TraceContext;
import io.trellis.wasmbus.rpc.WasmCloudEntity;
import io.trellis.wasmbus.subjects.Subjects;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Routes actors' host calls over the lattice (PROTOCOL.md §6.2): a link for (actor, contract, link
 * name) leads to a provider; a 56-character M key or a call alias leads to an actor. Each call is
 * signed with the cluster key and sent as a NATS request. Every failure text starts with the OTP
 * host's, which an actor may match on, and goes on to name the missing piece, because "request
 * timeout" for everything was wasmCloud users' most common complaint (PROTOCOL.md §1.3).
 */
public final class LatticeRouter implements HostCallRouter {
  private final LatticeCache cache;
  private final String lattice;
  private final InvocationClient client;
  private final Duration timeout;
  private final RuntimeMetrics metrics;
  private final EventPublisher events;
  private final RpcSpans spans;
  private final InvocationTap tap;

  public LatticeRouter(
      Connection connection,
      LatticeCache cache,
      String lattice,
      InvocationSigner signer,
      ChunkStore chunks,
      Duration timeout,
      RuntimeMetrics metrics,
      EventPublisher events,
      Tracing tracing,
      InvocationTap tap) {
    this.tap = tap;
    this.cache = cache;
    this.lattice = lattice;
    this.client = new InvocationClient(connection, signer, chunks);
    this.timeout = timeout;
    this.metrics = metrics;
    this.events = events;
    this.spans = new RpcSpans(tracing);
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
          "Invocation not authorized: missing capability claim for "
              + call.namespace()
              + " (actor "
              + actorKey
              + " is not signed with it)");
    }
    WasmCloudEntity origin = WasmCloudEntity.actor(actorKey);
    // traced: a span of its own, sent on; untraced: the actor call's context passes through as is
    Span span =
        spans.enabled()
            ? spans.hostCall(call.trace(), origin, route.target(), call.operation())
            : null;
    HostCallResult result =
        send(
            origin,
            route,
            call.operation(),
            call.payload(),
            span == null ? call.trace() : Tracing.contextOf(span));
    if (span != null) {
      RpcSpans.end(span, result instanceof HostCallResult.Err e ? e.message() : null);
    }
    InvocationTap.Lease lease = tap.listening(actorKey);
    if (lease != null) {
      tap.publish(
          actorKey,
          lease,
          "out",
          origin,
          route.target(),
          call.operation(),
          "",
          call.payload(),
          result instanceof HostCallResult.Ok ok ? ok.payload() : null,
          result instanceof HostCallResult.Err err ? err.message() : null,
          System.nanoTime() - t0);
    }
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
          missingLink(namespace)
              + " (actor "
              + actorKey
              + " has no link for this contract with link"
              + " name '"
              + linkName
              + "'; add one with: trellis ctl link put "
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
    // The OTP host (0.63) gives an unknown alias the missing-link text too.
    throw new RouteException(
        missingLink(namespace)
            + " (no actor in this lattice has claimed the call alias "
            + namespace
            + ", and it is not an actor key)");
  }

  /** OTP's text for a namespace that leads nowhere. */
  private String missingLink(String namespace) {
    return "Invocation not authorized: missing link definition for " + namespace + " on " + lattice;
  }

  private Route actorRoute(String key, String asNamed) {
    return new Route(WasmCloudEntity.actor(key), Subjects.actorRpc(lattice, key), asNamed);
  }

  private HostCallResult send(
      WasmCloudEntity origin,
      Route route,
      String operation,
      byte[] payload,
      @Nullable TraceContext trace) {
    InvocationOutcome outcome =
        client.invoke(route.subject(), origin, route.target(), operation, payload, timeout, trace);
    if (outcome instanceof InvocationResponse r) {
      // An error is passed on verbatim, as the OTP host does: it is the callee's own explanation.
      return r.isSuccess() ? HostCallResult.ok(r.msg()) : HostCallResult.err(r.error());
    }
    return HostCallResult.err(explain((RequestFailure) outcome, route, operation));
  }

  /** What the calling actor reads when its call got no usable answer. */
  private static String explain(RequestFailure failure, Route route, String operation) {
    String why =
        switch (failure) {
          // OTP says "request timeout" for no responders too; an actor may match on it
          case NoResponders() ->
              "request timeout (no responders: nothing is serving "
                  + route.describe()
                  + " on subject "
                  + route.subject()
                  + (route.target().isActor()
                      ? "; is the actor running?)"
                      : "; is the provider running?)");
          case TimedOut(Duration waited) ->
              "request timeout ("
                  + route.describe()
                  + " did not answer "
                  + operation
                  + " within "
                  + waited.toMillis()
                  + " ms)";
          case ConnectionLost lost ->
              "the NATS connection is " + lost.describe() + " (calling " + route.describe() + ")";
          case Cancelled() ->
              "interrupted while waiting for "
                  + route.describe()
                  + " (the calling actor ran out of time)";
          case Failed f -> f.message();
          case BadReply b -> route.describe() + " sent an unusable response: " + b.message();
        };
    return "Failed to perform RPC call: " + why;
  }

  /** A host call that cannot be routed; its message is what the guest reads. */
  static final class RouteException extends LatticeException {
    private static final long serialVersionUID = 1L;

    RouteException(String message) {
      super(message);
    }
  }
}
