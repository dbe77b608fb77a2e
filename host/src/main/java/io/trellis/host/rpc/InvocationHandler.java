package io.trellis.host.rpc;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.trellis.host.events.EventPublisher;
import io.trellis.host.policy.PolicyService;
import io.trellis.host.runtime.Actor;
import io.trellis.host.runtime.InvocationResult;
import io.trellis.tracing.Tracing;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.chunking.ChunkStore;
import io.trellis.wasmbus.claims.Claims;
import io.trellis.wasmbus.claims.InvocationMetadata;
import io.trellis.wasmbus.rpc.Invocation;
import io.trellis.wasmbus.rpc.InvocationCodec;
import io.trellis.wasmbus.rpc.InvocationRejectedException;
import io.trellis.wasmbus.rpc.InvocationResponse;
import io.trellis.wasmbus.rpc.InvocationValidator;
import io.trellis.wasmbus.rpc.MissingCapabilityClaimException;
import io.trellis.wasmbus.rpc.TraceContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inbound invocation, start to end, on the thread that took it from the subscription: decode,
 * the checks of PROTOCOL.md §4.5, de-chunking, the guest call, the reply; and around it the spans
 * (PROTOCOL.md §16.2) and the tap's copy (PROTOCOL.md §16.3), each only when switched on.
 */
final class InvocationHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ActorRpcServer.class);

  private final Connection connection;
  private final InvocationValidator validator;
  private final ChunkStore chunks;
  private final ActorDirectory actors;
  private final RpcMetrics metrics;
  private final EventPublisher events;
  private final RpcSpans spans;
  private final InvocationTap tap;
  private volatile PolicyService policy = PolicyService.disabled();

  InvocationHandler(
      Connection connection,
      InvocationValidator validator,
      ChunkStore chunks,
      ActorDirectory actors,
      RpcMetrics metrics,
      EventPublisher events,
      RpcSpans spans,
      InvocationTap tap) {
    this.connection = connection;
    this.validator = validator;
    this.chunks = chunks;
    this.actors = actors;
    this.metrics = metrics;
    this.events = events;
    this.spans = spans;
    this.tap = tap;
  }

  /** A late message still gets an answer: a clear failure beats the caller's timeout. */
  void refuseStopping(String actorKey, Message msg) {
    String id = "";
    try {
      id = InvocationValidator.decode(msg.getData() == null ? new byte[0] : msg.getData()).id();
    } catch (RuntimeException e) {
      // undecodable: answer without an id
    }
    reply(
        msg,
        InvocationResponse.failure(
            id, "Invocation for actor " + actorKey + " not served: the host is stopping"));
  }

  void handle(String actorKey, Message msg) {
    byte[] data = msg.getData();
    metrics.bytesIn(data == null ? 0 : data.length);
    InvocationResponse response;
    Invocation inv = null;
    Span span = null;
    Scope scope = null;
    try {
      inv = InvocationValidator.decode(data == null ? new byte[0] : data);
      TraceContext carried = TraceContext.of(msg, inv);
      if (spans.enabled()) {
        span = spans.received(actorKey, inv, carried);
        scope = Tracing.activate(span);
      }
      response = serve(actorKey, inv, carried, span);
    } catch (InvocationRejectedException e) {
      metrics.rejected(actorKey, e.kind());
      LOG.debug(
          "rejected invocation {} for {}: {}",
          inv == null ? "?" : inv.id(),
          actorKey,
          e.getMessage());
      response = InvocationResponse.failure(inv == null ? "" : inv.id(), e.getMessage());
    } catch (LatticeException e) {
      metrics.rejected(actorKey, "chunking");
      response = InvocationResponse.failure(inv == null ? "" : inv.id(), e.getMessage());
    } catch (RuntimeException | Error e) {
      // A bug (or a StackOverflowError deep in a library) must still produce an answer: a caller
      // left without a reply only sees a timeout.
      LOG.error(
          "internal error serving invocation {} for {}", inv == null ? "?" : inv.id(), actorKey, e);
      response =
          InvocationResponse.failure(
              inv == null ? "" : inv.id(),
              "internal error in host while serving the invocation: " + e);
    }
    try {
      reply(msg, response);
    } finally {
      if (span != null) {
        RpcSpans.end(span, response.error());
        scope.close();
      }
    }
  }

  void usePolicy(PolicyService policy) {
    this.policy = policy;
  }

  /**
   * @param carried the trace context the invocation came with
   * @param span the span of this invocation, null when tracing is off: the actor call then carries
   *     {@code carried} on unchanged, so a host without tracing never breaks a trace
   */
  private InvocationResponse serve(
      String actorKey, Invocation inv, @Nullable TraceContext carried, @Nullable Span span) {
    long t0 = System.nanoTime();
    Claims<InvocationMetadata> claims = validator.verifyClaims(inv);
    Actor actor;
    try {
      actor = admit(actorKey, inv);
    } catch (RuntimeException e) {
      discardChunk(inv);
      throw e;
    }
    if (actor == null) {
      discardChunk(inv);
      return InvocationResponse.failure(
          inv.id(), "Invocation received for actor " + actorKey + " that is not running");
    }
    // PROTOCOL.md §10.4: after the signature and the source and target checks, before de-chunking
    String denied = policy.invocationDenial(inv, actor.module().claims().issuer());
    if (denied != null) {
      discardChunk(inv);
      metrics.rejected(actorKey, "policy");
      return InvocationResponse.failure(inv.id(), denied);
    }
    byte[] payload = inv.isChunked() ? chunks.take(inv.id(), inv.contentLength()) : inv.msg();
    InvocationValidator.verifyHash(inv, payload, claims.metadata());
    Span call = null;
    if (span != null) {
      span.addEvent("validated");
      call = spans.actorCall(span, actorKey, inv.operation());
    }
    InvocationResult result =
        actor.invoke(inv.operation(), payload, call == null ? carried : Tracing.contextOf(call));
    if (call != null) {
      RpcSpans.end(call, result instanceof InvocationResult.Failure f ? f.message() : null);
    }
    InvocationTap.Lease lease = tap.listening(actorKey);
    if (lease != null) {
      tap.publish(
          actorKey,
          lease,
          "in",
          inv.origin(),
          inv.target(),
          inv.operation(),
          inv.id(),
          payload,
          result instanceof InvocationResult.Success s ? s.payload() : null,
          result instanceof InvocationResult.Failure f ? f.message() : null,
          System.nanoTime() - t0);
    }
    return switch (result) {
      case InvocationResult.Success s -> {
        events.invocationResult(true, inv.origin(), inv.target(), inv.operation(), payload.length);
        yield InvocationResponse.success(inv.id(), s.payload(), chunks);
      }
      case InvocationResult.Failure f -> {
        events.invocationResult(false, inv.origin(), inv.target(), inv.operation(), payload.length);
        yield InvocationResponse.failure(inv.id(), f.message());
      }
    };
  }

  /** Target and capability checks; null when the actor is not running here. */
  private @Nullable Actor admit(String actorKey, Invocation inv) {
    InvocationValidator.requireTarget(inv, actorKey);
    Actor actor = actors.find(actorKey);
    // Inbound links are not checked (PROTOCOL.md §13 item 16): only the caps, as the OTP host did.
    if (actor != null
        && !inv.origin().hasNoContract()
        && !actor.module().hasCapability(inv.origin().contractId())) {
      throw new MissingCapabilityClaimException(
          "Invocation source does not have the required"
              + " capability claim "
              + inv.origin().contractId()
              + ": actor "
              + actorKey
              + " is not signed with it (its caps: "
              + actor.module().metadata().capsOrEmpty()
              + ")");
    }
    return actor;
  }

  /** An authenticated but refused chunked invocation must not leave its object behind. */
  private void discardChunk(Invocation inv) {
    if (inv.isChunked()) {
      chunks.delete(inv.id());
    }
  }

  private void reply(Message msg, InvocationResponse response) {
    String replyTo = msg.getReplyTo();
    if (replyTo == null || replyTo.isEmpty()) {
      LOG.debug(
          "invocation {} had no reply subject; dropping the response", response.invocationId());
      return;
    }
    byte[] bytes = InvocationCodec.encode(response);
    metrics.bytesOut(bytes.length);
    try {
      connection.publish(replyTo, bytes);
    } catch (IllegalStateException e) {
      LOG.warn("could not reply to invocation {}: {}", response.invocationId(), e.getMessage());
    }
  }
}
