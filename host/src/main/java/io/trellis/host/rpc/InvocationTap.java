package io.trellis.host.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.rpc.WasmCloudEntity;
import io.trellis.wasmbus.subjects.Subjects;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invocation tap (PROTOCOL.md §16.3): copies of an actor's invocations, in and out, with the
 * de-chunked request, the response or error and the latency, published on the ctl connection while
 * a spy holds a lease on the actor. A spy renews its lease every few seconds; a spy that goes away
 * stops renewing, and copies stop at most {@link #LEASE} later. With no lease the hot path pays one
 * {@code isEmpty()} on an empty map.
 */
public final class InvocationTap implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InvocationTap.class);

  /** How long one lease request keeps copies flowing. */
  public static final Duration LEASE = Duration.ofSeconds(10);

  static final int DEFAULT_MAX_BYTES = 4096;

  /** One spy's interest in an actor. */
  record Lease(long expiresNanos, int maxBytes) {}

  private final Connection ctl;
  private final String lattice;
  private final String hostId;
  private final ActorDirectory actors;
  private final Clock clock;
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();
  private @Nullable Dispatcher dispatcher;

  public InvocationTap(
      Connection ctl, String lattice, String hostId, ActorDirectory actors, Clock clock) {
    this.ctl = ctl;
    this.lattice = lattice;
    this.hostId = hostId;
    this.actors = actors;
    this.clock = clock;
  }

  /** Starts answering lease requests. */
  public void start() {
    Dispatcher d = ctl.createDispatcher(this::onLease);
    d.subscribe(Subjects.tapLeases(lattice));
    dispatcher = d;
  }

  /**
   * A lease request: {@code {"max_bytes": N, "lease_ms": M}} (both optional). Answered only by
   * hosts running the actor, so a spy that gets no answer knows no host runs it.
   */
  private void onLease(Message m) {
    String[] tokens = m.getSubject().split("\\.");
    if (tokens.length != 5 || m.getReplyTo() == null) {
      return;
    }
    String actorKey = tokens[3];
    if (actors.find(actorKey) == null) {
      return;
    }
    int maxBytes = DEFAULT_MAX_BYTES;
    long leaseMs = LEASE.toMillis();
    try {
      if (m.getData() != null && m.getData().length > 0) {
        JsonNode body =
            Json.readObject(m.getData(), (why, cause) -> new IllegalArgumentException(why));
        maxBytes = Math.max(0, body.path("max_bytes").asInt(DEFAULT_MAX_BYTES));
        // bounded: a spy that dies must not keep copies flowing for long
        leaseMs = Math.clamp(body.path("lease_ms").asLong(leaseMs), 200, 60_000);
      }
    } catch (RuntimeException e) {
      LOG.debug("tap lease for {} with an unreadable body: {}", actorKey, e.getMessage());
    }
    leases.put(
        actorKey, new Lease(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(leaseMs), maxBytes));
    ObjectNode ack = Json.MAPPER.createObjectNode();
    ack.put("host_id", hostId);
    ack.put("lease_ms", leaseMs);
    ctl.publish(m.getReplyTo(), Json.bytes(ack));
  }

  /** The lease on {@code actorKey}, or null when nobody listens (the common case: no work). */
  @Nullable Lease listening(String actorKey) {
    if (leases.isEmpty()) {
      return null;
    }
    Lease l = leases.get(actorKey);
    if (l == null) {
      return null;
    }
    if (System.nanoTime() - l.expiresNanos() > 0) {
      leases.remove(actorKey, l);
      return null;
    }
    return l;
  }

  /**
   * Publishes one copy.
   *
   * @param direction {@code in} (the actor was called) or {@code out} (the actor called out)
   */
  void publish(
      String actorKey,
      Lease lease,
      String direction,
      WasmCloudEntity origin,
      WasmCloudEntity target,
      String operation,
      String invocationId,
      byte[] request,
      byte @Nullable [] response,
      @Nullable String error,
      long latencyNanos) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("host_id", hostId);
    n.put("time", clock.instant().toString());
    n.put("actor", actorKey);
    n.put("direction", direction);
    entity(n.putObject("origin"), origin);
    entity(n.putObject("target"), target);
    n.put("operation", operation);
    n.put("invocation_id", invocationId);
    body(n, "request", request, lease.maxBytes());
    if (response != null) {
      body(n, "response", response, lease.maxBytes());
    }
    if (error != null) {
      n.put("error", error);
    }
    n.put("latency_us", latencyNanos / 1000);
    try {
      ctl.publish(Subjects.tapEvents(lattice, actorKey), Json.bytes(n));
    } catch (IllegalStateException e) {
      LOG.debug("tap copy for {} not published: {}", actorKey, e.getMessage());
    }
  }

  private static void entity(ObjectNode n, WasmCloudEntity e) {
    n.put("public_key", e.publicKey());
    n.put("contract_id", e.contractId());
    n.put("link_name", e.linkName());
  }

  /**
   * {@code name} (base64, at most maxBytes), {@code name_size} and, when cut, {@code _truncated}.
   */
  private static void body(ObjectNode n, String name, byte[] bytes, int maxBytes) {
    n.put(name + "_size", bytes.length);
    byte[] kept = bytes.length > maxBytes ? Arrays.copyOf(bytes, maxBytes) : bytes;
    n.put(name, Base64.getEncoder().encodeToString(kept));
    if (kept.length < bytes.length) {
      n.put(name + "_truncated", true);
    }
  }

  @Override
  public void close() {
    Dispatcher d = dispatcher;
    if (d != null) {
      try {
        ctl.closeDispatcher(d);
      } catch (IllegalStateException e) {
        // the connection is closed already
      }
    }
    leases.clear();
  }
}
