package io.trellis.testkit;

import io.nats.client.support.JsonParseException;
import io.nats.client.support.JsonParser;
import io.nats.client.support.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Multi-server NATS topologies for lattice tests, each server a {@link NatsServer} with a generated
 * config on free 127.0.0.1 ports.
 *
 * <ul>
 *   <li>{@link #hubAndLeaves(String, String...)}: one hub server with a JetStream domain, and one
 *       leaf-node server per leaf domain, each with its own JetStream domain, connected to the hub.
 *       A client on a leaf reaches the hub's JetStream with domain = the hub domain.
 *   <li>{@link #global()}: the "going global" layout: a hub supercluster of two clusters ({@code
 *       hub-a}, {@code hub-b}) of two servers each joined by gateways, one JetStream meta group
 *       with domain {@code hub}, plus leaf {@code us} on hub-a and leaf {@code eu} on hub-b, each
 *       with its own domain. Startup takes ~5-7 s (JetStream meta leader election).
 * </ul>
 *
 * <p>Construction returns only when every server answers {@code /healthz}, every leaf has its leaf
 * connection, every hub server sees the other cluster's gateway and (global) the JetStream meta
 * group has a leader. Each server stays individually reachable ({@link #server(String)}) so a test
 * can stop, kill or restart one of them. {@link #close()} stops and deletes everything.
 */
public final class NatsTopology implements AutoCloseable {
  /** Default bound for a topology to become ready. */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(45);

  private final String hubDomain;
  private final Map<String, NatsServer> servers = new LinkedHashMap<>();
  private final List<NatsServer> hubs = new ArrayList<>();
  private final Map<String, NatsServer> leavesByDomain = new LinkedHashMap<>();
  private final Map<String, List<NatsServer>> clusters = new LinkedHashMap<>();
  private final Map<Integer, NatsServer> hubsByLeafPort = new LinkedHashMap<>();

  private NatsTopology(String hubDomain) {
    this.hubDomain = hubDomain;
  }

  /**
   * One hub server (name {@code hub}, JetStream domain {@code hubDomain}) and one leaf server per
   * leaf domain (name {@code leaf-<domain>}).
   */
  public static NatsTopology hubAndLeaves(String hubDomain, String... leafDomains) {
    checkDomains(hubDomain, leafDomains);
    NatsTopology t = new NatsTopology(hubDomain);
    try {
      int[] hubPorts = FreePorts.allocate(1);
      t.addHub(
          "hub",
          null,
          hubPorts[0],
          NatsServerOptions.builder()
              .name("hub")
              .jsDomain(hubDomain)
              .extraConfig(TopologyConfig.accounts() + TopologyConfig.leafListen(hubPorts[0])));
      t.awaitHubs();
      for (String d : leafDomains) {
        t.addLeaf(d, List.of(hubPorts[0]));
      }
      t.awaitLeaves();
      return t;
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
  }

  /** {@link #global(String, String, String)} with domains {@code hub}, {@code us}, {@code eu}. */
  public static NatsTopology global() {
    return global("hub", "us", "eu");
  }

  /**
   * Supercluster {@code hub-a} (servers {@code hub-a-1}, {@code hub-a-2}) + {@code hub-b} ({@code
   * hub-b-1}, {@code hub-b-2}) with JetStream domain {@code hubDomain}; leaf {@code leaf-<leafA>}
   * attached to hub-a and {@code leaf-<leafB>} attached to hub-b.
   */
  public static NatsTopology global(String hubDomain, String leafA, String leafB) {
    return global(hubDomain, leafA, leafB, 2);
  }

  /**
   * Like {@link #global(String, String, String)} with {@code perCluster} servers in each hub
   * cluster ({@code hub-a-1} .. {@code hub-a-<perCluster>}); three or more let a replicated stream
   * (R3) survive the loss of one server.
   */
  public static NatsTopology global(String hubDomain, String leafA, String leafB, int perCluster) {
    checkDomains(hubDomain, leafA, leafB);
    if (perCluster < 1) {
      throw new IllegalArgumentException("perCluster must be at least 1, got " + perCluster);
    }
    NatsTopology t = new NatsTopology(hubDomain);
    try {
      int n = 2 * perCluster;
      // per hub server: route, gateway, leaf listen port
      int[] route = FreePorts.allocate(n);
      int[] gw = FreePorts.allocate(n);
      int[] leaf = FreePorts.allocate(n);
      Map<String, List<Integer>> gateways = new LinkedHashMap<>();
      gateways.put("hub-a", ports(gw, 0, perCluster));
      gateways.put("hub-b", ports(gw, perCluster, n));
      for (int i = 0; i < n; i++) {
        boolean a = i < perCluster;
        String cluster = a ? "hub-a" : "hub-b";
        String name = cluster + "-" + (a ? i + 1 : i - perCluster + 1);
        List<Integer> routes = a ? ports(route, 0, perCluster) : ports(route, perCluster, n);
        String extra =
            TopologyConfig.accounts()
                + TopologyConfig.cluster(cluster, route[i], routes)
                + TopologyConfig.gateway(cluster, gw[i], gateways)
                + TopologyConfig.leafListen(leaf[i]);
        t.addHub(
            name,
            cluster,
            leaf[i],
            NatsServerOptions.builder().name(name).jsDomain(hubDomain).extraConfig(extra));
      }
      t.awaitHubs();
      t.addLeaf(leafA, ports(leaf, 0, perCluster));
      t.addLeaf(leafB, ports(leaf, perCluster, n));
      t.awaitLeaves();
      return t;
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
  }

  private static List<Integer> ports(int[] all, int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(all[i]);
    }
    return out;
  }

  private void addHub(
      String name, @Nullable String cluster, int leafPort, NatsServerOptions.Builder options) {
    NatsServer s = NatsServer.launch(options.build());
    servers.put(name, s);
    hubs.add(s);
    hubsByLeafPort.put(leafPort, s);
    if (cluster != null) {
      clusters.computeIfAbsent(cluster, k -> new ArrayList<>()).add(s);
    }
  }

  private void addLeaf(String domain, List<Integer> hubLeafPorts) {
    String name = "leaf-" + domain;
    NatsServer s =
        NatsServer.launch(
            NatsServerOptions.builder()
                .name(name)
                .jsDomain(domain)
                .extraConfig(TopologyConfig.accounts() + TopologyConfig.leafRemote(hubLeafPorts))
                .build());
    servers.put(name, s);
    leavesByDomain.put(domain, s);
  }

  /** Hubs first, so the leaves' first dial succeeds instead of waiting for a reconnect. */
  private void awaitHubs() {
    for (NatsServer h : hubs) {
      h.awaitReady(READY_TIMEOUT);
    }
    if (!clusters.isEmpty()) {
      Poll.until("gateways and JetStream meta leader", READY_TIMEOUT, hubs, this::pendingHubs);
    }
  }

  private @Nullable String pendingHubs() {
    for (Map.Entry<String, List<NatsServer>> c : clusters.entrySet()) {
      for (NatsServer s : c.getValue()) {
        for (String other : clusters.keySet()) {
          if (!other.equals(c.getKey()) && !hasOutboundGateway(s, other)) {
            return s.name() + " -> gateway " + other;
          }
        }
        if (metaLeader(s).isEmpty()) {
          return s.name() + ": JetStream meta leader";
        }
      }
    }
    return null;
  }

  private void awaitLeaves() {
    List<NatsServer> all = List.copyOf(servers.values());
    for (NatsServer l : leavesByDomain.values()) {
      l.awaitReady(READY_TIMEOUT);
    }
    Poll.until(
        "leaf node connections",
        READY_TIMEOUT,
        all,
        () -> {
          for (NatsServer l : leavesByDomain.values()) {
            if (leafConnections(l) < 1) {
              return l.name() + ": leaf connection to the hub";
            }
          }
          int total = 0;
          for (NatsServer h : hubs) {
            total += leafConnections(h);
          }
          return total < leavesByDomain.size()
              ? "hub sees " + total + " of " + leavesByDomain.size() + " leaves"
              : null;
        });
  }

  private static int leafConnections(NatsServer s) {
    return s.monitor("/leafz")
        .map(NatsTopology::parse)
        .map(v -> v.map.get("leafnodes"))
        .map(v -> v.i == null ? 0 : v.i)
        .orElse(0);
  }

  /**
   * The remote ports of {@code s}'s leaf connections. On the leaf's side that is the port it
   * dialed, the hub server's leaf listen port (nats-server 2.9 reports no server names in {@code
   * /leafz}).
   */
  private static List<Integer> leafRemotePorts(NatsServer s) {
    return s.monitor("/leafz")
        .map(NatsTopology::parse)
        .map(v -> v.map.get("leafs"))
        .map(
            v ->
                v.array == null
                    ? List.<Integer>of()
                    : v.array.stream()
                        .map(l -> l.map == null ? null : l.map.get("port"))
                        .filter(p -> p != null && p.i != null)
                        .map(p -> p.i)
                        .toList())
        .orElse(List.of());
  }

  private static boolean hasOutboundGateway(NatsServer s, String cluster) {
    return s.monitor("/gatewayz")
        .map(NatsTopology::parse)
        .map(v -> v.map.get("outbound_gateways"))
        .map(v -> v.map != null && v.map.containsKey(cluster))
        .orElse(false);
  }

  private static String metaLeader(NatsServer s) {
    return s.monitor("/jsz")
        .map(NatsTopology::parse)
        .map(v -> v.map.get("meta_cluster"))
        .map(v -> v.map == null ? null : v.map.get("leader"))
        .map(v -> v.string == null ? "" : v.string)
        .orElse("");
  }

  private static JsonValue parse(String json) {
    try {
      return JsonParser.parse(json);
    } catch (JsonParseException e) {
      return JsonValue.EMPTY_MAP;
    }
  }

  private static void checkDomains(String hubDomain, String... leafDomains) {
    Objects.requireNonNull(hubDomain, "hubDomain");
    List<String> seen = new ArrayList<>(List.of(hubDomain));
    for (String d : leafDomains) {
      if (d == null || seen.contains(d)) {
        throw new IllegalArgumentException(
            "JetStream domains must be distinct and non-null: hub "
                + hubDomain
                + ", leaves "
                + List.of(leafDomains));
      }
      seen.add(d);
    }
  }

  /** The hub's JetStream domain. */
  public String hubDomain() {
    return hubDomain;
  }

  /** Every server in start order (hubs, then leaves). */
  public List<NatsServer> servers() {
    return List.copyOf(servers.values());
  }

  /**
   * A server by name: {@code hub} (hub-and-leaves), {@code hub-a-1} .. {@code hub-b-2} (global),
   * {@code leaf-<domain>}.
   */
  public NatsServer server(String name) {
    NatsServer s = servers.get(name);
    if (s == null) {
      throw new NoSuchElementException("no server '" + name + "'; servers: " + servers.keySet());
    }
    return s;
  }

  /** The hub servers (one for hub-and-leaves, four for global). */
  public List<NatsServer> hubServers() {
    return List.copyOf(hubs);
  }

  /** The first hub server. */
  public NatsServer hub() {
    return hubs.get(0);
  }

  /** Servers of one hub cluster ({@code hub-a} or {@code hub-b} in global; empty otherwise). */
  public List<NatsServer> cluster(String name) {
    return Collections.unmodifiableList(clusters.getOrDefault(name, List.of()));
  }

  /** The leaf server with the given JetStream domain. */
  public NatsServer leaf(String domain) {
    NatsServer s = leavesByDomain.get(domain);
    if (s == null) {
      throw new NoSuchElementException(
          "no leaf with domain '" + domain + "'; leaves: " + leavesByDomain.keySet());
    }
    return s;
  }

  /**
   * The hub server the leaf with this JetStream domain is attached to right now, as the running hub
   * servers' {@code /leafz} report it. A leaf dials one of its remote URLs at random and moves to
   * another when that server goes away, so a test that means to take a leaf's hub away asks here
   * which one that is. Empty while the leaf has no hub connection.
   */
  public Optional<NatsServer> attachedHub(String leafDomain) {
    return leafRemotePorts(leaf(leafDomain)).stream()
        .map(hubsByLeafPort::get)
        .filter(h -> h != null && h.isRunning())
        .findFirst();
  }

  /** Leaf JetStream domains in start order. */
  public List<String> leafDomains() {
    return List.copyOf(leavesByDomain.keySet());
  }

  /** Client URLs of all hub servers, for a client that should fail over between them. */
  public List<String> hubUrls() {
    return hubs.stream().map(NatsServer::url).toList();
  }

  /** Stops every server (leaves first) and deletes their directories. */
  @Override
  public void close() {
    List<NatsServer> reversed = new ArrayList<>(servers.values());
    Collections.reverse(reversed);
    RuntimeException first = null;
    for (NatsServer s : reversed) {
      try {
        s.close();
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public String toString() {
    return "NatsTopology" + servers.values();
  }
}
