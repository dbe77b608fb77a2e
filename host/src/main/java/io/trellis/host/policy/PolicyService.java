package io.trellis.host.policy;

import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.trellis.host.config.HostConfig;
import io.trellis.host.policy.PolicyCache.Cached;
import io.trellis.wasmbus.rpc.Invocation;
import io.trellis.wasmbus.rpc.NatsRequests;
import io.trellis.wasmbus.rpc.RequestFailure;
import io.trellis.wasmbus.rpc.RequestOutcome;
import io.trellis.wasmbus.rpc.WasmCloudEntity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the policy server (PROTOCOL.md §10.4) over the ctl connection and caches its answers. Fails
 * closed: a timeout, no responders, an unreadable reply or a lost connection deny with a message
 * saying which, and are not cached, so the next attempt asks again. An invocation whose caller's
 * claims have expired is denied without asking. With no policy topic everything is permitted and
 * nothing is counted.
 */
public final class PolicyService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyService.class);

  /** The InvocationResponse error OTP hosts send; callers may match on it. */
  public static final String INVOCATION_DENIED = "Policy evaluation rejected invocation attempt";

  private static final PolicyService DISABLED = new PolicyService();

  private final @Nullable String topic;
  private final Duration timeout;
  private final @Nullable Connection connection;
  private final @Nullable PolicyHost host;
  private final @Nullable ClaimsLookup claims;
  private final @Nullable PolicyCache cache;
  private final @Nullable PolicyMetrics metrics;
  private final Clock clock;
  private final @Nullable Dispatcher changes;
  private final AtomicLong lastFailureLog = new AtomicLong();

  private PolicyService() {
    topic = null;
    timeout = Duration.ZERO;
    connection = null;
    host = null;
    claims = null;
    cache = null;
    metrics = null;
    clock = Clock.systemUTC();
    changes = null;
  }

  private PolicyService(
      Connection connection,
      HostConfig.Policy settings,
      PolicyHost host,
      ClaimsLookup claims,
      Clock clock,
      MeterRegistry registry) {
    this.topic = settings.topic();
    this.timeout = settings.timeout();
    this.connection = connection;
    this.host = host;
    this.claims = claims;
    this.cache = new PolicyCache(settings.cacheMaxEntries(), settings.cacheTtl());
    this.metrics = new PolicyMetrics(registry);
    this.clock = clock;
    String changesTopic = settings.changesTopic();
    if (changesTopic == null) {
      this.changes = null;
    } else {
      this.changes = connection.createDispatcher();
      changes.subscribe(changesTopic, this::onChange);
    }
  }

  /** Everything is permitted. */
  public static PolicyService disabled() {
    return DISABLED;
  }

  /**
   * A policy client when {@code settings} name a topic, else {@link #disabled()}.
   *
   * @param connection the ctl connection
   * @param claims what is known of invocation callers
   */
  public static PolicyService of(
      Connection connection,
      HostConfig.Policy settings,
      PolicyHost host,
      ClaimsLookup claims,
      Clock clock,
      MeterRegistry registry) {
    return settings.enabled()
        ? new PolicyService(connection, settings, host, claims, clock, registry)
        : DISABLED;
  }

  public boolean enabled() {
    return topic != null;
  }

  /** Asks about starting an actor or a provider (the source is OTP's placeholder). */
  public PolicyDecision evaluateStart(PolicyAction action, PolicyTarget target) {
    if (topic == null) {
      return PolicyDecision.DISABLED;
    }
    PolicySource source = PolicySource.placeholder();
    return decide(PolicyKey.of(action, source, target), action, source, target);
  }

  /**
   * The check of an inbound invocation, after its signature and its source and target checks
   * passed. With a cached decision this is a map lookup and a clock read.
   *
   * @param targetIssuer the issuer of the invoked actor's claims
   * @return null when the invocation may proceed, else the InvocationResponse error
   */
  public @Nullable String invocationDenial(Invocation inv, String targetIssuer) {
    if (topic == null) {
      return null;
    }
    WasmCloudEntity o = inv.origin();
    WasmCloudEntity t = inv.target();
    PolicyKey key =
        new PolicyKey(
            PolicyAction.PERFORM_INVOCATION,
            o.publicKey(),
            o.contractId(),
            o.linkName(),
            t.publicKey(),
            targetIssuer,
            t.contractId(),
            t.linkName());
    PolicyDecision d;
    Cached c = cache.get(key);
    if (c != null) {
      d = fromCache(key.action(), c);
    } else {
      PolicySource known = claims.source(o);
      PolicySource source =
          known != null
              ? known
              : new PolicySource(
                  o.publicKey(), o.contractId(), o.linkName(), List.of(), "", null, null);
      d =
          decide(
              key,
              PolicyAction.PERFORM_INVOCATION,
              source,
              new PolicyTarget(t.publicKey(), targetIssuer, t.contractId(), t.linkName()));
    }
    return d.permitted()
        ? null
        : d.message().isEmpty() ? INVOCATION_DENIED : INVOCATION_DENIED + ": " + d.message();
  }

  private PolicyDecision decide(
      PolicyKey key, PolicyAction action, PolicySource source, PolicyTarget target) {
    Cached c = cache.get(key);
    if (c != null) {
      return fromCache(action, c);
    }
    long now = clock.millis();
    if (source.expiredAt(now)) {
      metrics.decided(action, Outcome.EXPIRED, false);
      return PolicyDecision.deny("", expiredMessage(source.publicKey(), source.expiresAt() * 1000));
    }
    return ask(key, action, source, target, now);
  }

  private PolicyDecision fromCache(PolicyAction action, Cached c) {
    if (clock.millis() > c.sourceExpiresAtMillis()) {
      metrics.decided(action, Outcome.EXPIRED, true);
      return PolicyDecision.deny(
          c.decision().requestId(), expiredMessage("", c.sourceExpiresAtMillis()));
    }
    metrics.decided(action, c.decision().permitted() ? Outcome.PERMITTED : Outcome.DENIED, true);
    return c.decision();
  }

  private static String expiredMessage(String who, long expiredAtMillis) {
    return "the caller's claims"
        + (who.isEmpty() ? "" : " (" + who + ")")
        + " expired at "
        + Instant.ofEpochMilli(expiredAtMillis)
        + "; denied without asking the policy server";
  }

  private PolicyDecision ask(
      PolicyKey key, PolicyAction action, PolicySource source, PolicyTarget target, long now) {
    String id = UUID.randomUUID().toString();
    byte[] body = PolicyWire.request(id, action, source, target, host, now);
    long t0 = System.nanoTime();
    RequestOutcome outcome = NatsRequests.request(connection, topic, body, timeout);
    metrics.requested(System.nanoTime() - t0);
    if (outcome instanceof RequestOutcome.Replied r) {
      PolicyDecision d;
      try {
        d = PolicyWire.reply(r.message().getData(), id);
      } catch (IllegalArgumentException e) {
        return failed(
            action, Outcome.BAD_REPLY, id, "Policy response failed to decode: " + e.getMessage());
      }
      Long exp = source.expiresAt();
      cache.put(key, new Cached(d, exp == null ? Long.MAX_VALUE : exp * 1000));
      metrics.decided(action, d.permitted() ? Outcome.PERMITTED : Outcome.DENIED, false);
      return d;
    }
    return switch ((RequestFailure) outcome) {
      case RequestFailure.NoResponders n ->
          failed(
              action,
              Outcome.NO_RESPONDERS,
              id,
              "No responders to policy request (policy server not listening?) on " + topic);
      case RequestFailure.TimedOut t ->
          failed(
              action,
              Outcome.TIMEOUT,
              id,
              "Policy request timed out: no reply on "
                  + topic
                  + " within "
                  + timeout.toMillis()
                  + " ms");
      case RequestFailure.BadReply b ->
          failed(action, Outcome.BAD_REPLY, id, "Policy response failed to decode: " + b.message());
      case RequestFailure.ConnectionLost l ->
          failed(
              action,
              Outcome.UNAVAILABLE,
              id,
              "Policy request failed: the NATS connection is " + l.describe());
      case RequestFailure.Cancelled c ->
          failed(action, Outcome.UNAVAILABLE, id, "Policy request interrupted");
      case RequestFailure.Failed f ->
          failed(action, Outcome.UNAVAILABLE, id, "Policy request failed: " + f.message());
    };
  }

  /** A denial because no usable answer came: counted, never cached, logged at most every 10 s. */
  private PolicyDecision failed(PolicyAction action, Outcome outcome, String id, String message) {
    metrics.decided(action, outcome, false);
    long now = System.nanoTime();
    long last = lastFailureLog.get();
    if (now - last > 10_000_000_000L && lastFailureLog.compareAndSet(last, now)) {
      LOG.warn("policy denies {} (request {}): {}", action.wireName(), id, message);
    } else {
      LOG.debug("policy denies {} (request {}): {}", action.wireName(), id, message);
    }
    return PolicyDecision.deny(id, message);
  }

  private void onChange(Message m) {
    byte[] answer;
    try {
      PolicyDecision change = PolicyWire.change(m.getData());
      if (cache.replace(change)) {
        LOG.info(
            "policy change: request {} is now {}{}",
            change.requestId(),
            change.permitted() ? "permitted" : "denied",
            change.message().isEmpty() ? "" : " (" + change.message() + ")");
        answer = PolicyWire.changeAnswer(true, "");
      } else {
        answer =
            PolicyWire.changeAnswer(
                false,
                "no cached decision for request "
                    + change.requestId()
                    + " (expired, evicted or never cached)");
      }
    } catch (IllegalArgumentException e) {
      LOG.warn("ignoring an unreadable policy change on {}: {}", m.getSubject(), e.getMessage());
      answer = PolicyWire.changeAnswer(false, "unreadable policy change: " + e.getMessage());
    }
    String reply = m.getReplyTo();
    if (reply != null && !reply.isEmpty()) {
      try {
        connection.publish(reply, answer);
      } catch (IllegalStateException e) {
        LOG.debug("could not answer a policy change: {}", e.getMessage());
      }
    }
  }

  /** Decisions cached now (an estimate). */
  public long cachedDecisions() {
    return cache == null ? 0 : cache.size();
  }

  @Override
  public void close() {
    Dispatcher d = changes;
    Connection c = connection;
    if (d != null && c != null) {
      try {
        c.closeDispatcher(d);
      } catch (RuntimeException e) {
        // connection already closed
      }
    }
  }
}
