package io.trellis.host.rpc;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.trellis.host.events.EventPublisher;
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
import io.trellis.wasmbus.subjects.Subjects;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code wasmbus.rpc.{prefix}.{actor}} for every actor on this host, in the queue group of
 * the subject so instances on many hosts share the load (PROTOCOL.md §4.1). Decoding, the checks of
 * PROTOCOL.md §4.5, de-chunking, the guest call and the reply all happen on virtual threads that
 * take messages straight from the subscription, so unrelated calls never wait on each other. A
 * rejected invocation never reaches the wasm.
 *
 * <p>Each actor's subscription is synchronous, and virtual threads wait on it: the one that takes a
 * message first makes sure another one waits (starting it if none does), then serves the message
 * itself; when it is done it waits again unless {@link #SPARE_WAITERS} already do. jnats' reader
 * thread thus hands each message to the thread that serves it. A dispatcher would add a platform
 * thread between them, a wake-up per message that cost about 15 % of a host's CPU under the RPC
 * benchmark (docs/BENCHMARKS.md).
 */
public final class ActorRpcServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ActorRpcServer.class);

  /** Threads left waiting on an actor's subscription once a burst of calls is over. */
  static final int SPARE_WAITERS = 2;

  /**
   * How long a waiting thread sleeps before it looks again. Unsubscribing wakes the waiters; this
   * only bounds how long one could outlive its subscription if that wake-up were lost.
   */
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static final ThreadFactory THREADS = Thread.ofVirtual().name("trellis-rpc").factory();

  private final Connection connection;
  private final String lattice;
  private final InvocationValidator validator;
  private final ChunkStore chunks;
  private final ActorDirectory actors;
  private final RpcMetrics metrics;
  private final EventPublisher events;
  private final RpcSpans spans;
  private final Map<String, Serving> subscriptions = new ConcurrentHashMap<>();
  private final Set<Worker> workers = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object drained = new Object();
  private volatile boolean accepting = true;

  public ActorRpcServer(
      Connection connection,
      String lattice,
      InvocationValidator validator,
      ChunkStore chunks,
      ActorDirectory actors,
      RpcMetrics metrics,
      EventPublisher events,
      Tracing tracing) {
    this.connection = connection;
    this.lattice = lattice;
    this.validator = validator;
    this.chunks = chunks;
    this.actors = actors;
    this.metrics = metrics;
    this.events = events;
    this.spans = new RpcSpans(tracing);
  }

  /** One actor's subscription and the threads waiting on it. */
  private static final class Serving {
    final String actorKey;
    final Subscription subscription;

    /** Workers waiting in (or about to wait in) {@code nextMessage}. */
    final AtomicInteger waiting = new AtomicInteger();

    volatile boolean closed;

    Serving(String actorKey, Subscription subscription) {
      this.actorKey = actorKey;
      this.subscription = subscription;
    }
  }

  /**
   * A virtual thread serving one actor. {@code idle} is set while it waits for a message: only then
   * may an unsubscribe interrupt it, so an interrupt never lands in a guest call it serves.
   */
  private static final class Worker {
    final Serving serving;
    final AtomicBoolean idle = new AtomicBoolean();
    volatile @Nullable Thread thread;

    Worker(Serving serving) {
      this.serving = serving;
    }
  }

  /**
   * Starts serving an actor (idempotent: one subscription per actor key per host). Returns once the
   * server has the subscription, so "started" means reachable.
   */
  public void subscribe(String actorKey) {
    boolean[] fresh = {false};
    Serving serving =
        subscriptions.computeIfAbsent(
            actorKey,
            k -> {
              String subject = Subjects.actorRpc(lattice, k);
              fresh[0] = true;
              return new Serving(k, connection.subscribe(subject, subject));
            });
    if (fresh[0]) {
      startWorker(serving);
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
    Serving s = subscriptions.remove(actorKey);
    if (s == null) {
      return;
    }
    s.closed = true;
    try {
      s.subscription.unsubscribe();
    } catch (IllegalStateException e) {
      // the connection is closed: the subscription is gone with it
    }
    // wake the waiting workers; a worker serving a call is left alone and ends after it
    for (Worker w : workers) {
      Thread t = w.thread;
      if (w.serving == s && t != null && w.idle.compareAndSet(true, false)) {
        t.interrupt();
      }
    }
  }

  private void startWorker(Serving s) {
    Worker w = new Worker(s);
    s.waiting.incrementAndGet();
    workers.add(w);
    try {
      THREADS.newThread(() -> work(w)).start();
    } catch (RuntimeException | Error e) {
      s.waiting.decrementAndGet();
      workers.remove(w);
      throw e;
    }
  }

  private void work(Worker w) {
    Serving s = w.serving;
    w.thread = Thread.currentThread();
    try {
      while (true) {
        w.idle.set(true);
        Message msg = null;
        if (!s.closed) {
          try {
            msg = s.subscription.nextMessage(WAIT);
          } catch (IllegalStateException | InterruptedException e) {
            // unsubscribed or closed
          }
        }
        if (!w.idle.compareAndSet(true, false)) {
          // an unsubscribe claimed this worker: its interrupt is on the way, so no guest code
          // may run here any more; a message taken meanwhile is still answered
          if (msg != null) {
            refuseStopping(s.actorKey, msg);
          }
          return;
        }
        int stillWaiting = s.waiting.decrementAndGet();
        if (msg == null) {
          if (s.closed || stillWaiting > 0) {
            return; // gone, or a spare: others wait
          }
          s.waiting.incrementAndGet();
          continue;
        }
        if (stillWaiting == 0 && !s.closed) {
          startWorker(s); // someone must wait for the next message while this one is served
        }
        serve(s.actorKey, msg);
        if (s.closed || s.waiting.get() >= SPARE_WAITERS) {
          return;
        }
        s.waiting.incrementAndGet();
      }
    } finally {
      workers.remove(w);
    }
  }

  private void serve(String actorKey, Message msg) {
    inFlight.incrementAndGet();
    try {
      if (accepting) {
        handle(actorKey, msg);
      } else {
        refuseStopping(actorKey, msg);
      }
    } catch (RuntimeException | Error e) {
      LOG.error("internal error serving an invocation for {}", actorKey, e);
    } finally {
      if (inFlight.decrementAndGet() == 0 && !accepting) {
        synchronized (drained) {
          drained.notifyAll();
        }
      }
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

  /**
   * @param carried the trace context the invocation came with
   * @param span the span of this invocation, null when tracing is off: the actor call then carries
   *     {@code carried} on unchanged, so a host without tracing never breaks a trace
   */
  private InvocationResponse serve(
      String actorKey, Invocation inv, @Nullable TraceContext carried, @Nullable Span span) {
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
    long deadline = System.nanoTime() + grace.toNanos();
    synchronized (drained) {
      while (inFlight.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(drained, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  public int inFlight() {
    return inFlight.get();
  }

  /** Virtual threads serving or waiting on subscriptions, for tests. */
  int workers() {
    return workers.size();
  }

  @Override
  public void close() {
    accepting = false;
    subscriptions.keySet().forEach(this::unsubscribe);
    // a hard stop: calls still running are interrupted too
    for (Worker w : workers) {
      Thread t = w.thread;
      if (t != null) {
        t.interrupt();
      }
    }
  }
}
