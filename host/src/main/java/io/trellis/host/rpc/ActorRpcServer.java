package io.trellis.host.rpc;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.trellis.host.events.EventPublisher;
import io.trellis.host.policy.PolicyService;
import io.trellis.host.runtime.Actor;
import io.trellis.host.runtime.InvocationResult;
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
import io.trellis.wasmbus.subjects.Subjects;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code wasmbus.rpc.{prefix}.{actor}} for every actor on this host, in the queue group of
 * the subject so instances on many hosts share the load (PROTOCOL.md §4.1). The dispatcher thread
 * only hands messages to virtual threads; decoding, the checks of PROTOCOL.md §4.5, de-chunking,
 * the guest call and the reply all happen there, so unrelated calls never wait on each other. A
 * rejected invocation never reaches the wasm.
 */
public final class ActorRpcServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ActorRpcServer.class);

  private final Connection connection;
  private final String lattice;
  private final InvocationValidator validator;
  private final ChunkStore chunks;
  private final ActorDirectory actors;
  private final RpcMetrics metrics;
  private final EventPublisher events;
  private final Dispatcher dispatcher;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean accepting = true;
  private volatile PolicyService policy = PolicyService.disabled();

  public ActorRpcServer(
      Connection connection,
      String lattice,
      InvocationValidator validator,
      ChunkStore chunks,
      ActorDirectory actors,
      RpcMetrics metrics,
      EventPublisher events) {
    this.connection = connection;
    this.lattice = lattice;
    this.validator = validator;
    this.chunks = chunks;
    this.actors = actors;
    this.metrics = metrics;
    this.events = events;
    this.dispatcher = connection.createDispatcher();
  }

  /** The policy service asked before each invocation reaches an actor (set at boot). */
  public void usePolicy(PolicyService policy) {
    this.policy = policy;
  }

  /**
   * Starts serving an actor (idempotent: one subscription per actor key per host). Returns once the
   * server has the subscription, so "started" means reachable.
   */
  public void subscribe(String actorKey) {
    boolean[] fresh = {false};
    subscriptions.computeIfAbsent(
        actorKey,
        k -> {
          String subject = Subjects.actorRpc(lattice, k);
          fresh[0] = true;
          return dispatcher.subscribe(subject, subject, msg -> dispatch(k, msg));
        });
    if (fresh[0]) {
      try {
        connection.flush(Duration.ofSeconds(2));
      } catch (TimeoutException | InterruptedException e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        LOG.warn(
            "the subscription for actor {} is not confirmed by the server yet: {}",
            actorKey,
            e.toString());
      }
    }
  }

  /** Stops serving an actor (when its last local instance stops). */
  public void unsubscribe(String actorKey) {
    Subscription s = subscriptions.remove(actorKey);
    if (s != null) {
      dispatcher.unsubscribe(s);
    }
  }

  private void dispatch(String actorKey, Message msg) {
    if (!accepting) {
      refuseStopping(actorKey, msg);
      return;
    }
    inFlight.incrementAndGet();
    try {
      workers.execute(
          () -> {
            try {
              handle(actorKey, msg);
            } finally {
              inFlight.decrementAndGet();
            }
          });
    } catch (RejectedExecutionException e) {
      inFlight.decrementAndGet();
      refuseStopping(actorKey, msg);
    }
  }

  /** A late message still gets an answer: a clear failure beats the caller's timeout. */
  private void refuseStopping(String actorKey, Message msg) {
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

  private void handle(String actorKey, Message msg) {
    byte[] data = msg.getData();
    metrics.bytesIn(data == null ? 0 : data.length);
    InvocationResponse response;
    Invocation inv = null;
    try {
      inv = InvocationValidator.decode(data == null ? new byte[0] : data);
      response = serve(actorKey, inv);
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
    reply(msg, response);
  }

  private InvocationResponse serve(String actorKey, Invocation inv) {
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
    InvocationResult result = actor.invoke(inv.operation(), payload);
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

  /**
   * Stops taking invocations; waits up to {@code grace} for in-flight ones. True if all finished.
   */
  public boolean stopAccepting(Duration grace) {
    accepting = false;
    subscriptions.keySet().forEach(this::unsubscribe);
    workers.shutdown();
    try {
      return workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public void close() {
    accepting = false;
    try {
      connection.closeDispatcher(dispatcher);
    } catch (RuntimeException e) {
      // connection already closed
    }
    workers.shutdownNow();
  }
}
