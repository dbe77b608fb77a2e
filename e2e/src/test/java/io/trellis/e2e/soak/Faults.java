package io.trellis.e2e.soak;

import io.trellis.apps.AppStatus;
import io.trellis.apps.StatusType;
import io.trellis.apps.api.AppsClient;
import io.trellis.testkit.NatsServer;
import io.trellis.testkit.TcpProxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fault kinds and their random order. Kinds are dealt from a shuffled deck (reshuffled when
 * empty) drawn from the seed, so a short run still sees different kinds and the same seed gives the
 * same sequence of kinds and targets (not the same timing).
 */
final class Faults {
  static final List<String> KINDS =
      List.of(
          "nats-kill",
          "provider-kill",
          "host-kill",
          "host-stop",
          "partition",
          "scale",
          "live-update",
          "app-upgrade");

  private final Random random;
  private final List<NatsServer> servers;
  private final List<SoakHost> hosts;
  private final SoakHost partitionable;
  private final TcpProxy proxy;
  private final AppsClient apps;
  private final SoakApp app;
  private final LiveUpdate live;
  private final List<String> deck = new ArrayList<>();
  private final long started = System.nanoTime();
  private int version = 1;
  private int echoReplicas;
  private String counterImage;

  /** Every provider process ever seen under a host, to check at the end that none outlives it. */
  final Map<Long, ProcessHandle> seen = new ConcurrentHashMap<>();

  final List<String> log = new ArrayList<>();

  Faults(
      long seed,
      List<NatsServer> servers,
      List<SoakHost> hosts,
      SoakHost partitionable,
      TcpProxy proxy,
      AppsClient apps,
      SoakApp app,
      LiveUpdate live,
      int echoReplicas) {
    this.random = new Random(seed);
    this.servers = servers;
    this.hosts = hosts;
    this.partitionable = partitionable;
    this.proxy = proxy;
    this.apps = apps;
    this.app = app;
    this.live = live;
    this.echoReplicas = echoReplicas;
    this.counterImage = app.counterImage();
  }

  String next() {
    if (deck.isEmpty()) {
      deck.addAll(KINDS);
      Collections.shuffle(deck, random);
    }
    return deck.removeFirst();
  }

  /** Runs one fault to its end (the restart, the SIGCONT, the restore, the deploy). */
  void run(String kind) throws Exception {
    switch (kind) {
      case "nats-kill" -> {
        NatsServer s = servers.get(random.nextInt(servers.size()));
        long downMs = 1000 + random.nextInt(2000);
        note(kind, "SIGKILL " + s.name() + ", restart after " + downMs + " ms");
        s.kill();
        Thread.sleep(downMs);
        s.restart();
      }
      case "provider-kill" -> {
        SoakHost h = hosts.get(random.nextInt(hosts.size()));
        // drawn whether or not the host runs a provider, so that the seed's sequence holds
        int pick = random.nextInt(Integer.MAX_VALUE);
        List<ProcessHandle> children = h.children();
        if (children.isEmpty()) {
          note(kind, h.name + " runs no provider process right now: nothing killed");
          return;
        }
        ProcessHandle p = children.get(pick % children.size());
        note(kind, "SIGKILL provider pid " + p.pid() + " of " + h.name);
        p.destroyForcibly();
      }
      case "host-kill" -> {
        SoakHost h = hosts.get(random.nextInt(hosts.size()));
        track();
        note(
            kind,
            "SIGKILL " + h.name + " (JVM only; its providers must exit by themselves), restart");
        h.killAlone();
        Thread.sleep(1000);
        h.start();
      }
      case "host-stop" -> {
        SoakHost h = hosts.get(random.nextInt(hosts.size()));
        note(kind, "SIGSTOP " + h.name + " for 20 s, then SIGCONT");
        h.signal("STOP");
        try {
          Thread.sleep(20_000);
        } finally {
          h.signal("CONT");
        }
      }
      case "partition" -> {
        note(kind, "cut " + partitionable.name + " off from NATS (TCP proxy) for 15 s");
        proxy.cut();
        try {
          Thread.sleep(15_000);
        } finally {
          proxy.restore();
        }
      }
      case "scale" -> {
        int to;
        do {
          to = 1 + random.nextInt(6);
        } while (to == echoReplicas);
        version++;
        note(kind, "deploy v" + version + ": echo replicas " + echoReplicas + " -> " + to);
        echoReplicas = to;
        deployAndWait(kind);
      }
      case "live-update" -> {
        SoakHost h = hosts.get(random.nextInt(hosts.size()));
        note(kind, "ctl update actor kvcounter on " + h.name + " while increments flow");
        note(kind, live.apply(h));
      }
      case "app-upgrade" -> {
        // the manifest moves kvcounter to a later revision: the reconciler live-updates every
        // host's instances in place while increments flow (a host never runs two revisions)
        counterImage = live.signNext();
        version++;
        note(kind, "deploy v" + version + ": kvcounter revision " + live.revision());
        deployAndWait(kind);
        note(kind, live.running(hosts));
      }
      default -> throw new IllegalArgumentException("unknown fault kind " + kind);
    }
  }

  private void deployAndWait(String kind) throws InterruptedException {
    apps.put(app.manifest("v" + version, echoReplicas, counterImage).getBytes());
    apps.deploy(SoakApp.NAME, "v" + version);
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline && !deployed()) {
      Thread.sleep(500);
    }
    note(
        kind,
        deployed() ? "v" + version + " deployed" : "v" + version + " not deployed within 60 s");
  }

  boolean deployed() {
    try {
      AppStatus s = apps.status(SoakApp.NAME);
      return s.info().type() == StatusType.DEPLOYED && s.version().equals("v" + version);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Remembers the provider processes every host runs now. */
  void track() {
    for (SoakHost h : hosts) {
      h.descendants().forEach(p -> seen.putIfAbsent(p.pid(), p));
    }
  }

  void note(String kind, String what) {
    String line =
        String.format("[soak %6.1fs] %-13s %s", (System.nanoTime() - started) / 1e9, kind, what);
    System.out.println(line);
    synchronized (log) {
      log.add(line);
    }
  }
}
