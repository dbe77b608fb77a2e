package io.trellis.ctl;

import io.nats.client.Connection;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.ctl.Auctions;
import io.trellis.wasmbus.ctl.CtlSubjects;
import io.trellis.wasmbus.ctl.HostCommands;
import io.trellis.wasmbus.ctl.HostInfo;
import io.trellis.wasmbus.ctl.HostInventory;
import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.link.LinkDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
  private final Duration timeout;
  private final Duration auctionTimeout;
  private final CtlSubjects subjects;
  private final CtlQueries queries;
  private final CtlAuctions auctions;
  private final CtlCommands commands;
  private final CtlEvents events;

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
    this.timeout = timeout;
    this.auctionTimeout = auctionTimeout;
    this.subjects = new CtlSubjects(ctlPrefix, lattice);
    Requester requester = new Requester(nc, server);
    this.queries = new CtlQueries(nc, requester, subjects, lattice, jsDomain, timeout);
    this.auctions = new CtlAuctions(requester, subjects);
    this.commands = new CtlCommands(requester, subjects, lattice, timeout);
    this.events = new CtlEvents(nc, lattice, timeout);
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
    return queries.pingHosts(collect);
  }

  public HostInventory inventory(String hostId) {
    return queries.inventory(hostId);
  }

  /**
   * The claims of every actor and provider the lattice knows. Asks a host; when no host runs, reads
   * the lattice data bucket directly (PROTOCOL.md §9.2), as newer wasmCloud clients always do.
   */
  public List<ClaimsRecord> claims() {
    return queries.claims();
  }

  /** Every link definition; like {@link #claims()} it falls back to the bucket without hosts. */
  public List<LinkDefinition> links() {
    return queries.links();
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
    return auctions.actor(ref, constraints, wait, maxReplies);
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
    return auctions.provider(ref, linkName, constraints, wait, maxReplies);
  }

  // ---------------------------------------------------------------- commands (PROTOCOL.md §8.3)

  /** {@code la}: acked at once; the outcome arrives as events (see {@link #startActorAndWait}). */
  public Ack startActor(String hostId, String ref, int count, Map<String, String> annotations) {
    return commands.startActor(hostId, ref, count, annotations);
  }

  /**
   * {@code sa}: stops {@code count} instances (0 = all) whose annotations include the given ones.
   */
  public Ack stopActor(String hostId, String actorId, int count, Map<String, String> annotations) {
    return commands.stopActor(hostId, actorId, count, annotations);
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
    return commands.scaleActor(hostId, actorId, ref, count, annotations);
  }

  /** {@code upd}: synchronous live update to a module with the same key and a greater revision. */
  public Ack updateActor(
      String hostId, String actorId, String newRef, Map<String, String> annotations) {
    return commands.updateActor(hostId, actorId, newRef, annotations);
  }

  /** {@code lp}: {@code configJson} becomes the provider's config_json ("" for none). */
  public Ack startProvider(
      String hostId,
      String ref,
      @Nullable String linkName,
      @Nullable String configJson,
      Map<String, String> annotations) {
    return commands.startProvider(hostId, ref, linkName, configJson, annotations);
  }

  public Ack stopProvider(
      String hostId,
      String providerId,
      @Nullable String linkName,
      @Nullable String contractId,
      Map<String, String> annotations) {
    return commands.stopProvider(hostId, providerId, linkName, contractId, annotations);
  }

  /**
   * {@code cmd.{host}.stop}: the host acks, stops its actors and providers within {@code timeout},
   * exits.
   */
  public Ack stopHost(String hostId, Duration hostTimeout) {
    return commands.stopHost(hostId, hostTimeout);
  }

  /**
   * Trellis extension {@code cmd.{host}.label.put}: sets a label; {@code hostcore.*} are refused.
   */
  public Ack putLabel(String hostId, String key, String value) {
    return commands.putLabel(hostId, key, value);
  }

  /** Trellis extension {@code cmd.{host}.label.del}. */
  public Ack deleteLabel(String hostId, String key) {
    return commands.deleteLabel(hostId, key);
  }

  /** {@code linkdefs.put}, answered by one host (queue group), which stores it in the lattice. */
  public Ack putLink(LinkDefinition link) {
    return commands.putLink(link);
  }

  public Ack deleteLink(String actorId, String contractId, String linkName) {
    return commands.deleteLink(actorId, contractId, linkName);
  }

  /**
   * {@code registries.put}: every host subscribes and stores the credentials; the ack returned is
   * the first host's (as wasmCloud's client does).
   */
  public Ack putRegistries(Map<String, HostCommands.RegistryCredential> registries) {
    return commands.putRegistries(registries);
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
    return events.subscribe(consumer);
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
    String link = CtlCommands.linkName(linkName);
    try (EventWaiter w = waitFor(e -> StartWaits.isProviderStartEvent(e, hostId, ref, link))) {
      require(
          startProvider(hostId, ref, link, configJson, annotations),
          "starting provider " + ref + " on host " + hostId);
      return StartWaits.awaitProvider(w, hostId, ref, link, wait, progress);
    }
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
