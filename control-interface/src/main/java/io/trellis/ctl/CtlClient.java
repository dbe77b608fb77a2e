package io.trellis.ctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.trellis.ctl.internal.LatticeDataReader;
import io.trellis.ctl.internal.Replies;
import io.trellis.ctl.internal.Requester;
import io.trellis.ctl.internal.Requester.Target;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.ctl.ActorCommands;
import io.trellis.wasmbus.ctl.Auctions;
import io.trellis.wasmbus.ctl.CtlJson;
import io.trellis.wasmbus.ctl.CtlSubjects;
import io.trellis.wasmbus.ctl.HostCommands;
import io.trellis.wasmbus.ctl.HostInfo;
import io.trellis.wasmbus.ctl.HostInventory;
import io.trellis.wasmbus.ctl.LatticeQueries;
import io.trellis.wasmbus.ctl.ProviderCommands;
import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.subjects.Subjects;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A client for the lattice control interface (PROTOCOL.md §8): queries, commands, auctions and
 * events. Thread-safe. Build one with {@link #builder()}; close it to release the connection it
 * opened (a connection passed in with {@link CtlClientBuilder#connection} is left open).
 *
 * <p>Error contract: methods returning {@link Ack} return the host's refusal as {@code accepted ==
 * false} and never throw for it; methods returning data throw {@link CtlRejectedException} when a
 * host refuses. Every method throws {@link CtlTimeoutException} when nobody answers in time, {@link
 * NoRespondersException} when nobody listens (no such host, or no hosts), {@link BadReplyException}
 * for replies of the wrong shape, and {@link CtlConnectException} when the connection is gone.
 */
public final class CtlClient implements AutoCloseable {
  private final Connection nc;
  private final boolean ownsConnection;
  private final String lattice;
  private final @Nullable String jsDomain;
  private final Duration timeout;
  private final Duration auctionTimeout;
  private final CtlSubjects subjects;
  private final Requester requester;

  CtlClient(
      Connection nc,
      boolean ownsConnection,
      String server,
      String lattice,
      String ctlPrefix,
      @Nullable String jsDomain,
      Duration timeout,
      Duration auctionTimeout) {
    this.nc = nc;
    this.ownsConnection = ownsConnection;
    this.lattice = lattice;
    this.jsDomain = jsDomain;
    this.timeout = timeout;
    this.auctionTimeout = auctionTimeout;
    this.subjects = new CtlSubjects(ctlPrefix, lattice);
    this.requester = new Requester(nc, server);
  }

  public static CtlClientBuilder builder() {
    return new CtlClientBuilder();
  }

  public String latticePrefix() {
    return lattice;
  }

  public Duration timeout() {
    return timeout;
  }

  public Duration auctionTimeout() {
    return auctionTimeout;
  }

  public CtlSubjects subjects() {
    return subjects;
  }

  /** The NATS connection, e.g. to send invocations on the same connection. */
  public Connection connection() {
    return nc;
  }

  // ---------------------------------------------------------------- queries (PROTOCOL.md §8.2)

  /** Every host's ping reply collected during the default timeout. */
  public List<HostInfo> pingHosts() {
    return pingHosts(timeout);
  }

  /**
   * Scatter/gather {@code ping.hosts}: publishes once and collects every reply until {@code
   * collect} has passed (returns at once, empty, when no host is subscribed).
   */
  public List<HostInfo> pingHosts(Duration collect) {
    return Replies.parseAll(
        requester.gather(subjects.pingHosts(), new byte[0], collect, Integer.MAX_VALUE),
        HostInfo::fromJson,
        "ping reply");
  }

  public HostInventory inventory(String hostId) {
    byte[] reply =
        requester.request(
            subjects.inventory(hostId), new byte[0], timeout, host("inventory", hostId));
    Replies.rejectIfAck(reply, "inventory of host " + hostId);
    return Replies.parse(reply, HostInventory::fromJson, "inventory reply from host " + hostId);
  }

  /**
   * The claims of every actor and provider the lattice knows. Asks a host; when no host runs, reads
   * the lattice data bucket directly (PROTOCOL.md §9.2), as newer wasmCloud clients always do.
   */
  public List<ClaimsRecord> claims() {
    try {
      byte[] reply =
          requester.request(subjects.getClaims(), new byte[0], timeout, anyHost("get claims"));
      Replies.rejectIfAck(reply, "get claims");
      return Replies.parse(reply, LatticeQueries::claims, "claims reply");
    } catch (NoRespondersException e) {
      return kv().claims().orElseThrow(() -> e);
    }
  }

  /** Every link definition; like {@link #claims()} it falls back to the bucket without hosts. */
  public List<LinkDefinition> links() {
    try {
      byte[] reply =
          requester.request(subjects.getLinks(), new byte[0], timeout, anyHost("get links"));
      Replies.rejectIfAck(reply, "get links");
      return Replies.parse(reply, LatticeQueries::links, "links reply");
    } catch (NoRespondersException e) {
      return kv().links().orElseThrow(() -> e);
    }
  }

  // ---------------------------------------------------------------- auctions (PROTOCOL.md §8.4)

  public List<Auctions.ActorAck> auctionActor(String ref, Map<String, String> constraints) {
    return auctionActor(ref, constraints, auctionTimeout, Integer.MAX_VALUE);
  }

  public List<Auctions.ActorAck> auctionActor(
      String ref, Map<String, String> constraints, Duration wait) {
    return auctionActor(ref, constraints, wait, Integer.MAX_VALUE);
  }

  /**
   * Hosts whose labels satisfy every constraint, in the order they answered.
   *
   * @param maxReplies stop early after this many (1 = take the quickest host)
   */
  public List<Auctions.ActorAck> auctionActor(
      String ref, Map<String, String> constraints, Duration wait, int maxReplies) {
    byte[] body = new Auctions.ActorRequest(ref, constraints).toJson();
    return Replies.parseAll(
        requester.gather(subjects.auctionActor(), body, wait, maxReplies),
        Replies.auctionReply(Auctions.ActorAck::fromJson, "actor auction"),
        "actor auction reply");
  }

  public List<Auctions.ProviderAck> auctionProvider(
      String ref, String linkName, Map<String, String> constraints) {
    return auctionProvider(ref, linkName, constraints, auctionTimeout, Integer.MAX_VALUE);
  }

  public List<Auctions.ProviderAck> auctionProvider(
      String ref, String linkName, Map<String, String> constraints, Duration wait) {
    return auctionProvider(ref, linkName, constraints, wait, Integer.MAX_VALUE);
  }

  /**
   * Hosts that satisfy the constraints and do not already run this provider under this link name.
   */
  public List<Auctions.ProviderAck> auctionProvider(
      String ref, String linkName, Map<String, String> constraints, Duration wait, int maxReplies) {
    byte[] body = new Auctions.ProviderRequest(ref, linkName, constraints).toJson();
    return Replies.parseAll(
        requester.gather(subjects.auctionProvider(), body, wait, maxReplies),
        Replies.auctionReply(Auctions.ProviderAck::fromJson, "provider auction"),
        "provider auction reply");
  }

  // ---------------------------------------------------------------- commands (PROTOCOL.md §8.3)

  /** {@code la}: acked at once; the outcome arrives as events (see {@link #startActorAndWait}). */
  public Ack startActor(String hostId, String ref, int count, Map<String, String> annotations) {
    return command(
        hostId,
        "la",
        new ActorCommands.Start(ref, count, annotations, hostId).toJson(),
        "start actor");
  }

  /**
   * {@code sa}: stops {@code count} instances (0 = all) whose annotations include the given ones.
   */
  public Ack stopActor(String hostId, String actorId, int count, Map<String, String> annotations) {
    return command(
        hostId,
        "sa",
        new ActorCommands.Stop(actorId, count, annotations, hostId).toJson(),
        "stop actor");
  }

  /**
   * {@code scale}: converges the host's instance count; {@code ref} is needed only to scale up from
   * zero.
   */
  public Ack scaleActor(
      String hostId,
      String actorId,
      @Nullable String ref,
      int count,
      Map<String, String> annotations) {
    return command(
        hostId,
        "scale",
        new ActorCommands.Scale(actorId, ref == null ? "" : ref, count, annotations, hostId)
            .toJson(),
        "scale actor");
  }

  /** {@code upd}: synchronous live update to a module with the same key and a greater revision. */
  public Ack updateActor(
      String hostId, String actorId, String newRef, Map<String, String> annotations) {
    return command(
        hostId,
        "upd",
        new ActorCommands.Update(newRef, actorId, annotations, hostId).toJson(),
        "update actor");
  }

  /** {@code lp}: {@code configJson} becomes the provider's config_json ("" for none). */
  public Ack startProvider(
      String hostId,
      String ref,
      @Nullable String linkName,
      @Nullable String configJson,
      Map<String, String> annotations) {
    return command(
        hostId,
        "lp",
        new ProviderCommands.Start(
                ref, linkName(linkName), configJson == null ? "" : configJson, annotations, hostId)
            .toJson(),
        "start provider");
  }

  public Ack stopProvider(
      String hostId,
      String providerId,
      @Nullable String linkName,
      @Nullable String contractId,
      Map<String, String> annotations) {
    return command(
        hostId,
        "sp",
        new ProviderCommands.Stop(
                providerId,
                linkName(linkName),
                contractId == null ? "" : contractId,
                annotations,
                hostId)
            .toJson(),
        "stop provider");
  }

  /**
   * {@code cmd.{host}.stop}: the host acks, stops its actors and providers within {@code timeout},
   * exits.
   */
  public Ack stopHost(String hostId, Duration hostTimeout) {
    return command(
        hostId,
        "stop",
        new HostCommands.StopHost(hostId, hostTimeout.toMillis()).toJson(),
        "stop host");
  }

  /**
   * Trellis extension {@code cmd.{host}.label.put}: sets a label; {@code hostcore.*} are refused.
   */
  public Ack putLabel(String hostId, String key, String value) {
    return command(hostId, "label.put", new HostCommands.Label(key, value).toJson(), "put label");
  }

  /** Trellis extension {@code cmd.{host}.label.del}. */
  public Ack deleteLabel(String hostId, String key) {
    return command(
        hostId, "label.del", CtlJson.bytes(CtlJson.object().put("key", key)), "delete label");
  }

  /** {@code linkdefs.put}, answered by one host (queue group), which stores it in the lattice. */
  public Ack putLink(LinkDefinition link) {
    return ack(
        requester.request(subjects.linkdefsPut(), link.toJson(), timeout, anyHost("put link")),
        "put link");
  }

  public Ack deleteLink(String actorId, String contractId, String linkName) {
    byte[] body = new LatticeQueries.LinkDelete(actorId, contractId, linkName(linkName)).toJson();
    return ack(
        requester.request(subjects.linkdefsDel(), body, timeout, anyHost("delete link")),
        "delete link");
  }

  /**
   * {@code registries.put}: every host subscribes and stores the credentials; the ack returned is
   * the first host's (as wasmCloud's client does).
   */
  public Ack putRegistries(Map<String, HostCommands.RegistryCredential> registries) {
    ObjectNode body = CtlJson.object();
    registries.forEach(
        (server, c) -> {
          ObjectNode o = body.putObject(server).put("registryType", c.registryType());
          if (c.username() != null) {
            o.put("username", c.username());
          }
          if (c.password() != null) {
            o.put("password", c.password());
          }
          if (c.token() != null) {
            o.put("token", c.token());
          }
        });
    return ack(
        requester.request(
            subjects.registriesPut(), CtlJson.bytes(body), timeout, anyHost("put registries")),
        "put registries");
  }

  /** Converts a refusal into {@link CtlRejectedException}; returns an accepted ack unchanged. */
  public static Ack require(Ack ack, String what) {
    if (!ack.accepted()) {
      throw new CtlRejectedException(what + " was refused: " + ack.error(), ack.error());
    }
    return ack;
  }

  // ---------------------------------------------------------------- events (PROTOCOL.md §8.5)

  /**
   * Subscribes to {@code wasmbus.evt.{lattice}}. The subscription is active at the server when this
   * returns. {@code consumer} runs on one dispatcher thread, in publication order per host;
   * messages that are not CloudEvents JSON are skipped.
   */
  public EventSubscription events(Consumer<LatticeEventMessage> consumer) {
    Dispatcher d;
    try {
      d =
          nc.createDispatcher(
              m ->
                  LatticeEventMessage.parse(m.getData())
                      .ifPresent(
                          e -> {
                            try {
                              consumer.accept(e);
                            } catch (RuntimeException ignored) {
                              // a failing consumer must not stop the stream for the events after it
                            }
                          }));
      d.subscribe(Subjects.events(lattice));
      nc.flush(timeout);
    } catch (IllegalStateException e) {
      throw new CtlConnectException("cannot subscribe to events: the NATS connection is closed", e);
    } catch (TimeoutException e) {
      throw new CtlTimeoutException(
          "NATS did not confirm the event subscription within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CtlConnectException("interrupted while subscribing to events", e);
    }
    Dispatcher dispatcher = d;
    AtomicBoolean closed = new AtomicBoolean();
    return () -> {
      if (closed.compareAndSet(false, true) && nc.getStatus() != Connection.Status.CLOSED) {
        try {
          nc.closeDispatcher(dispatcher);
        } catch (IllegalStateException e) {
          // closed concurrently: nothing left to unsubscribe
        }
      }
    };
  }

  /** Starts collecting matching events now; see {@link EventWaiter}. */
  public EventWaiter waitFor(Predicate<LatticeEventMessage> filter) {
    return new EventWaiter(this, filter);
  }

  /** Subscribes and waits for the first matching event published from now on. */
  public LatticeEventMessage awaitEvent(
      Predicate<LatticeEventMessage> filter, Duration wait, String waitingFor) {
    try (EventWaiter w = waitFor(filter)) {
      return w.await(wait, waitingFor);
    }
  }

  // ---------------------------------------------------------------- start and wait

  public ActorStarted startActorAndWait(
      String hostId, String ref, int count, Map<String, String> annotations, Duration wait) {
    return startActorAndWait(hostId, ref, count, annotations, wait, e -> {});
  }

  /**
   * Sends {@code la} and waits for the host's verdict: {@code actors_started} (or {@code count}
   * {@code actor_started} events from older hosts), or a start-failed event.
   *
   * @param progress sees every related event as it arrives (e.g. one per started instance)
   * @throws CtlRejectedException when the host refuses the command
   * @throws StartFailedException when the host reports a failure
   * @throws CtlTimeoutException when no verdict arrives within {@code wait}
   */
  public ActorStarted startActorAndWait(
      String hostId,
      String ref,
      int count,
      Map<String, String> annotations,
      Duration wait,
      Consumer<LatticeEventMessage> progress) {
    try (EventWaiter w = waitFor(e -> StartWaits.isActorStartEvent(e, hostId, ref))) {
      require(
          startActor(hostId, ref, count, annotations),
          "starting actor " + ref + " on host " + hostId);
      return StartWaits.awaitActor(w, hostId, ref, count, wait, progress);
    }
  }

  public ProviderStarted startProviderAndWait(
      String hostId,
      String ref,
      @Nullable String linkName,
      @Nullable String configJson,
      Map<String, String> annotations,
      Duration wait) {
    return startProviderAndWait(hostId, ref, linkName, configJson, annotations, wait, e -> {});
  }

  /** Sends {@code lp} and waits for {@code provider_started} or {@code provider_start_failed}. */
  public ProviderStarted startProviderAndWait(
      String hostId,
      String ref,
      @Nullable String linkName,
      @Nullable String configJson,
      Map<String, String> annotations,
      Duration wait,
      Consumer<LatticeEventMessage> progress) {
    String link = linkName(linkName);
    try (EventWaiter w = waitFor(e -> StartWaits.isProviderStartEvent(e, hostId, ref, link))) {
      require(
          startProvider(hostId, ref, link, configJson, annotations),
          "starting provider " + ref + " on host " + hostId);
      return StartWaits.awaitProvider(w, hostId, ref, link, wait, progress);
    }
  }

  // ---------------------------------------------------------------- plumbing

  private Ack command(String hostId, String cmd, byte[] body, String what) {
    return ack(
        requester.request(
            subjects.command(hostId, cmd), body, timeout, host(what + " command", hostId)),
        what + " command to host " + hostId);
  }

  private Target host(String what, String hostId) {
    return new Target(
        what, "host " + hostId, "host " + hostId + " is not in lattice '" + lattice + "'");
  }

  private Target anyHost(String what) {
    return new Target(what, "any host", "no hosts are running in lattice '" + lattice + "'");
  }

  private static Ack ack(byte[] reply, String what) {
    return Replies.parse(reply, Ack::fromJson, "reply to " + what);
  }

  private static String linkName(@Nullable String linkName) {
    return linkName == null || linkName.isEmpty() ? LinkDefinition.DEFAULT_LINK_NAME : linkName;
  }

  private LatticeDataReader kv() {
    return new LatticeDataReader(nc, lattice, jsDomain, timeout);
  }

  @Override
  public void close() {
    if (ownsConnection) {
      try {
        nc.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
