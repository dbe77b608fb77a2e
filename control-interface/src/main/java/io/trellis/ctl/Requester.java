package io.trellis.ctl;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.trellis.wasmbus.rpc.NatsRequests;
import io.trellis.wasmbus.rpc.RequestFailure;
import io.trellis.wasmbus.rpc.RequestFailure.BadReply;
import io.trellis.wasmbus.rpc.RequestFailure.Cancelled;
import io.trellis.wasmbus.rpc.RequestFailure.ConnectionLost;
import io.trellis.wasmbus.rpc.RequestFailure.Failed;
import io.trellis.wasmbus.rpc.RequestFailure.NoResponders;
import io.trellis.wasmbus.rpc.RequestFailure.TimedOut;
import io.trellis.wasmbus.rpc.RequestOutcome.Replied;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * NATS request/reply and scatter/gather with the failure modes turned into the client's exceptions.
 * Request/reply is wasmbus' {@link NatsRequests}, which tells the endings apart on connections the
 * client opened (which report no-responders as a 503 status) and on connections handed in by the
 * caller (where jnats cancels the future instead); this class only names them.
 */
final class Requester {
  private final Connection nc;
  private final String server;

  /**
   * @param server the server as users know it, for messages (e.g. nats://127.0.0.1:4222)
   */
  Requester(Connection nc, String server) {
    this.nc = nc;
    this.server = server;
  }

  /**
   * Who a request is for, used in error messages.
   *
   * @param what the request, e.g. "inventory"
   * @param who the intended responder, e.g. "host N…" or "any host"
   * @param nobody what no-responders means here, e.g. "host N… is not in lattice 'default'"
   */
  record Target(String what, String who, String nobody) {
    /** A request to one host. */
    static Target host(String what, String hostId, String lattice) {
      return new Target(
          what, "host " + hostId, "host " + hostId + " is not in lattice '" + lattice + "'");
    }

    /** A request any host may answer (a queue group). */
    static Target anyHost(String what, String lattice) {
      return new Target(what, "any host", "no hosts are running in lattice '" + lattice + "'");
    }
  }

  byte[] request(String subject, byte[] body, Duration timeout, Target t) {
    return switch (NatsRequests.request(nc, subject, body, timeout)) {
      case Replied(Message reply) -> reply.getData();
      case RequestFailure f -> throw failure(f, subject, t);
    };
  }

  /** The client's exception for a request to {@code subject} that got no usable answer. */
  CtlException failure(RequestFailure failure, String subject, Target t) {
    return switch (failure) {
      case NoResponders() -> noResponders(subject, t);
      case TimedOut(Duration waited) ->
          new CtlTimeoutException(
              "no reply from "
                  + t.who()
                  + " to "
                  + t.what()
                  + " within "
                  + waited.toMillis()
                  + " ms");
      case ConnectionLost lost -> lost(lost, null);
      case Cancelled() ->
          new CtlConnectException("interrupted while waiting for " + t.what(), null);
      case Failed f ->
          new CtlConnectException(
              t.what() + " request on " + subject + " failed: " + f.message(), f.cause());
      case BadReply b ->
          new BadReplyException(
              t.who() + " sent a bad reply to " + t.what() + ": " + b.message(), b.cause());
    };
  }

  /**
   * Publishes once and collects replies until {@code window} passes or {@code max} replies came.
   * Returns at once, empty, when NATS reports that nobody subscribes.
   */
  List<byte[]> gather(String subject, byte[] body, Duration window, int max) {
    List<byte[]> out = new ArrayList<>();
    Subscription sub;
    try {
      String inbox = nc.createInbox();
      sub = nc.subscribe(inbox);
      nc.publish(subject, inbox, body);
    } catch (IllegalStateException e) {
      throw closed(e);
    }
    try {
      long deadline = System.nanoTime() + window.toNanos();
      while (out.size() < max) {
        long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (leftMs <= 0) {
          break;
        }
        // never pass 0: jnats treats a zero wait as "forever"
        Message m = sub.nextMessage(Duration.ofMillis(leftMs));
        if (m == null) {
          break;
        }
        if (m.isStatusMessage()) {
          if (m.getStatus().isNoResponders()) {
            break;
          }
          continue;
        }
        out.add(m.getData());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IllegalStateException e) {
      throw closed(e);
    } finally {
      try {
        sub.unsubscribe();
      } catch (IllegalStateException e) {
        // connection closed meanwhile: nothing to clean up
      }
    }
    return out;
  }

  private CtlConnectException closed(IllegalStateException e) {
    return lost(new ConnectionLost(nc.getStatus(), e.getMessage()), e);
  }

  private CtlConnectException lost(ConnectionLost lost, Throwable cause) {
    return new CtlConnectException(
        "the NATS connection to " + server + " is " + lost.describe(), cause);
  }

  private static NoRespondersException noResponders(String subject, Target t) {
    return new NoRespondersException(
        t.nobody() + " (no responders for " + t.what() + " on " + subject + ")", subject);
  }
}
