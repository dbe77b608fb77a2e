package io.trellis.provider.sdk;

import io.nats.client.Message;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.trellis.tracing.Tracing;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.chunking.ChunkStore;
import io.trellis.wasmbus.claims.Claims;
import io.trellis.wasmbus.claims.InvocationMetadata;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.rpc.Invocation;
import io.trellis.wasmbus.rpc.InvocationCodec;
import io.trellis.wasmbus.rpc.InvocationRejectedException;
import io.trellis.wasmbus.rpc.InvocationResponse;
import io.trellis.wasmbus.rpc.InvocationValidator;
import io.trellis.wasmbus.rpc.TraceContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inbound invocation: decode, validate as wasmbus-rpc's provider side does (PROTOCOL.md §4.5),
 * call the provider, build the response (chunked when large).
 *
 * <p>Order of checks: signature, times, host id, issuer ∈ cluster_issuers and the signed URLs
 * first; then the payload is de-chunked and its hash checked; then target == this provider; then
 * the origin actor must be linked. wasmbus-rpc de-chunks before anything else; checking the token
 * first (as the Trellis host does, docs/DECISIONS.md) means an unauthenticated message can never
 * make us read, and delete, an object in the lattice object store. Valid invocations see no
 * difference.
 */
final class InboundRpc {
  private static final Logger LOG = LoggerFactory.getLogger(InboundRpc.class);

  private final CapabilityProvider provider;
  private final InvocationValidator validator;
  private final LinkRegistry links;
  private final ChunkStore chunks;
  private final String providerKey;
  private final Tracing tracing;

  InboundRpc(
      CapabilityProvider provider,
      InvocationValidator validator,
      LinkRegistry links,
      ChunkStore chunks,
      String providerKey,
      Tracing tracing) {
    this.tracing = tracing;
    this.provider = provider;
    this.validator = validator;
    this.links = links;
    this.chunks = chunks;
    this.providerKey = providerKey;
  }

  /** Never throws: every failure becomes an error response. */
  byte[] handle(Message m) {
    byte[] data = m.getData() == null ? new byte[0] : m.getData();
    Invocation inv;
    try {
      inv = InvocationCodec.decodeInvocation(data);
    } catch (RuntimeException e) {
      LOG.warn("undecodable invocation ({} bytes): {}", data.length, e.getMessage());
      return InvocationCodec.encode(
          InvocationResponse.failure("", "deser error: " + e.getMessage()));
    }
    if (!tracing.enabled()) {
      return InvocationCodec.encode(respond(inv));
    }
    // the provider's handling: a child of the invocation sent (PROTOCOL.md §16.2), current while
    // the provider runs so that its own calls to actors continue the trace
    Span span =
        tracing.startRemoteChild(
            "handle " + inv.operation(), SpanKind.SERVER, TraceContext.of(m, inv));
    span.setAttribute("rpc.system", "wasmbus");
    span.setAttribute("rpc.method", inv.operation());
    span.setAttribute("wasmcloud.origin", inv.origin().url());
    InvocationResponse response;
    try (Scope s = Tracing.activate(span)) {
      response = respond(inv);
    }
    if (response.error() != null) {
      Tracing.fail(span, response.error());
    }
    span.end();
    return InvocationCodec.encode(response);
  }

  private InvocationResponse respond(Invocation inv) {
    byte[] payload;
    LinkDefinition link;
    try {
      Claims<InvocationMetadata> claims = validator.verifyClaims(inv);
      payload = inv.isChunked() ? chunks.take(inv.id(), inv.contentLength()) : inv.msg();
      InvocationValidator.verifyHash(inv, payload, claims.metadata());
      InvocationValidator.requireTarget(inv, providerKey);
      link = links.get(inv.origin().publicKey()).orElse(null);
      if (link == null) {
        return reject(inv, "unlinked actor: '" + inv.origin().publicKey() + "'");
      }
    } catch (InvocationRejectedException e) {
      return reject(inv, e.getMessage());
    } catch (LatticeException e) {
      return reject(inv, e.getMessage()); // the chunk store failed
    }
    byte[] result;
    try {
      result = provider.handle(inv.operation(), payload, new Caller(link, inv.id(), inv.origin()));
      if (result == null) {
        result = new byte[0];
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return InvocationResponse.failure(
          inv.id(), inv.operation() + " was interrupted (provider shutting down)");
    } catch (Exception | StackOverflowError | LinkageError e) {
      String text =
          e.getMessage() == null || e.getMessage().isBlank()
              ? e.getClass().getSimpleName()
              : e.getMessage();
      LOG.debug("{} from actor {} failed: {}", inv.operation(), link.actorId(), text, e);
      return InvocationResponse.failure(inv.id(), text);
    }
    return success(inv.id(), result);
  }

  private InvocationResponse success(String id, byte[] result) {
    try {
      return InvocationResponse.success(id, result, chunks);
    } catch (LatticeException e) {
      return InvocationResponse.failure(
          id, "cannot send a " + result.length + "-byte result: " + e.getMessage());
    }
  }

  private InvocationResponse reject(Invocation inv, String reason) {
    LOG.warn("rejected {} from {}: {}", inv.operation(), inv.origin().publicKey(), reason);
    return InvocationResponse.failure(inv.id(), reason);
  }
}
