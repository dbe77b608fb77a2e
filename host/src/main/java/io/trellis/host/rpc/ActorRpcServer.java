package io.trellis.host.rpc;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.trellis.host.events.EventPublisher;
import io.trellis.host.policy.PolicyService;
import io.trellis.tracing.Tracing;
import io.trellis.wasmbus.chunking.ChunkStore;
import io.trellis.wasmbus.rpc.InvocationValidator;
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
  private final InvocationHandler handler;
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
      Tracing tracing,
      InvocationTap tap) {
    this.connection = connection;
    this.lattice = lattice;
    this.handler =
        new InvocationHandler(
            connection, validator, chunks, actors, metrics, events, new RpcSpans(tracing), tap);
  }

  /** The policy service asked before each invocation reaches an actor (set at boot). */
  public void usePolicy(PolicyService policy) {
    handler.usePolicy(policy);
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
        boolean dead = s.closed;
        if (!dead) {
          try {
            msg = s.subscription.nextMessage(WAIT);
          } catch (IllegalStateException e) {
            // unsubscribed, or the connection is closed: nothing will ever arrive, and asking again
            // would fail at once, so this worker must end rather than spin on a carrier thread
            dead = true;
          } catch (InterruptedException e) {
            // an unsubscribe woke this worker
          }
        }
        if (!w.idle.compareAndSet(true, false)) {
          // an unsubscribe claimed this worker: its interrupt is on the way, so no guest code
          // may run here any more; a message taken meanwhile is still answered
          if (msg != null) {
            handler.refuseStopping(s.actorKey, msg);
          }
          return;
        }
        int stillWaiting = s.waiting.decrementAndGet();
        if (msg == null) {
          if (dead || s.closed || stillWaiting > 0) {
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
        handler.handle(actorKey, msg);
      } else {
        handler.refuseStopping(actorKey, msg);
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
