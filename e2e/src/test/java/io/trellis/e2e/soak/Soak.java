package io.trellis.e2e.soak;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.trellis.apps.AppStatus;
import io.trellis.apps.StatusType;
import io.trellis.apps.api.ApiSubjects;
import io.trellis.apps.api.AppsClient;
import io.trellis.cli.up.NatsLauncher;
import io.trellis.ctl.CtlClient;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsCluster;
import io.trellis.testkit.NatsServer;
import io.trellis.testkit.TcpProxy;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;

/**
 * The soak run (docs/RELIABILITY.md, scripts/soak.sh): a three-server NATS cluster, three {@code
 * trellis host} processes, an application deployed through the apps API, mixed load and faults at
 * random from a printed seed for a bounded time; then a report per fault kind. Exit status 0 when
 * no acknowledged increment is missing and no process is left behind, 1 when one is, 2 when the
 * soak could not be set up.
 *
 * <p>Arguments: {@code --minutes N} (default 10), {@code --seed S} (default random), {@code --root
 * DIR} (the repository, default the working directory).
 */
public final class Soak {
  static final String SUBJECT = "soak.req";

  private Soak() {}

  public static void main(String[] args) throws Exception {
    double minutes = 10;
    long seed = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    Path root = Path.of("").toAbsolutePath();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v = i + 1 < args.length ? args[i + 1] : "";
      switch (a) {
        case "--minutes" -> minutes = number(a, v);
        case "--seed" -> seed = seed(v);
        case "--root" -> root = Path.of(v).toAbsolutePath();
        default -> usage("unknown argument '" + a + "'");
      }
      i++;
    }
    if (minutes <= 0 || minutes > 24 * 60) {
      usage("--minutes must be > 0 and at most 1440, got " + minutes);
    }
    if (!Files.isRegularFile(root.resolve("capability-providers/dist/httpserver.par.gz"))) {
      usage(root + " is not a built Trellis repository (capability-providers/dist is missing)");
    }
    System.out.printf(
        "soak: seed %d, %s minutes of faults (replay: --seed %d)%n", seed, minutes, seed);
    watchdog(Duration.ofSeconds((long) (minutes * 60) + 600));
    int status;
    try {
      status = new Soak().run(root, minutes, seed);
    } catch (Exception e) {
      System.out.println("soak: FAILED to run: " + e);
      e.printStackTrace(System.out);
      status = 2;
    }
    Report.killLeftovers();
    System.exit(status);
  }

  private int run(Path root, double minutes, long seed) throws Exception {
    Path dir = Files.createTempDirectory("trellis-soak");
    System.out.println("soak: working directory " + dir);
    List<SoakHost> hosts = new ArrayList<>();
    Ledger ledger = new Ledger();
    Report report = new Report(ledger);
    // the ping settings of trellis up: a SIGSTOPped host's share of requests moves within seconds
    try (NatsCluster cluster = NatsCluster.start("nats", 3, false, NatsLauncher.PING_SETTINGS);
        TcpProxy proxy = TcpProxy.start(cluster.server(2).port());
        Connection nc =
            NatsServer.connect(NatsServer.clientOptionsFor(cluster.urls()).maxReconnects(-1));
        CtlClient ctl =
            CtlClient.builder().connection(nc).timeout(Duration.ofSeconds(10)).build()) {
      System.out.println("soak: NATS cluster " + String.join(" ", cluster.urls()));
      KeyPair key = KeyPair.generate(KeyType.CLUSTER);
      int[] serverPorts = {cluster.server(0).port(), cluster.server(1).port(), proxy.port()};
      for (int i = 0; i < 3; i++) {
        Map<String, String> labels = new HashMap<>();
        labels.put("soak", "true");
        if (i == 0) {
          labels.put("ingress", "true");
        }
        hosts.add(new SoakHost("h" + (i + 1), dir, env(serverPorts[i], key, labels)));
      }
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> f = new ArrayList<>();
        for (SoakHost h : hosts) {
          f.add(
              pool.submit(
                  () -> {
                    h.start();
                    return null;
                  }));
        }
        for (Future<?> x : f) {
          x.get();
        }
      }
      for (SoakHost h : hosts) {
        System.out.println("soak: host " + h.name + " pid " + h.pid() + " " + h.id());
      }
      // the counters' bucket replicated on all three servers: one server's loss loses nothing
      nc.keyValueManagement()
          .create(
              KeyValueConfiguration.builder()
                  .name(SoakApp.BUCKET)
                  .storageType(StorageType.File)
                  .replicas(3)
                  .maxHistoryPerKey(1)
                  .build());
      int[] ports = FreePorts.allocate(3);
      SoakApp app = new SoakApp(root, ports[0], ports[1], ports[2], SUBJECT);
      AppsClient apps =
          new AppsClient(nc, new ApiSubjects("wadm.api", "default"), Duration.ofSeconds(10));
      apps.put(app.manifest("v1", 3, app.counterImage()).getBytes());
      apps.deploy(SoakApp.NAME, "v1");
      awaitDeployed(apps, Duration.ofMinutes(3));
      Load load = new Load(ledger, "/soak/" + seed);
      awaitServing(load, app, nc, Duration.ofMinutes(2));
      System.out.println("soak: app deployed and serving; load and faults start");
      for (SoakHost h : hosts) {
        report.heapStart.put(h.name, h.heapAfterGcKib());
      }
      LiveUpdate live = LiveUpdate.of(root, dir.resolve("revisions"), ctl);
      Faults faults =
          new Faults(seed, cluster.servers(), hosts, hosts.get(2), proxy, apps, app, live, 3);
      ledger.begin("none");
      load.start(app.echoPort(), app.counterPort(), app.pingerPort(), nc, SUBJECT);
      Thread tracker =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                      faults.track();
                      try {
                        Thread.sleep(500);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
      Thread.sleep(5_000);
      long deadline = System.nanoTime() + (long) (minutes * 60e9);
      while (System.nanoTime() < deadline) {
        String kind = faults.next();
        ledger.begin(kind);
        faults.run(kind);
        Thread.sleep(8_000); // recovery in this fault's window
      }
      ledger.begin("after faults");
      faults.note("after faults", "waiting until every stream answers again");
      awaitServing(load, app, nc, Duration.ofMinutes(3));
      Thread.sleep(3_000);
      load.close();
      tracker.interrupt();
      faults.track();
      report.finalCount = finalCount(load, app);
      report.acked = load.acked.get();
      report.duplicateAcks = load.duplicateAcks.get();
      report.duplicates.addAll(load.duplicates);
      report.maxAckedValue = load.ackedValues.stream().mapToLong(Long::longValue).max().orElse(0);
      for (SoakHost h : hosts) {
        report.heapEnd.put(h.name, h.heapAfterGcKib());
        report.generations.put(h.name, h.generation());
      }
      report.faultLog.addAll(faults.log);
      report.seen.putAll(faults.seen);
    } finally {
      for (SoakHost h : hosts) {
        h.terminate();
      }
    }
    report.leftBehind = Report.leftBehind(report.seen, Duration.ofSeconds(20));
    return report.print(seed, minutes);
  }

  static Map<String, String> env(int port, KeyPair cluster, Map<String, String> labels) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("WASMCLOUD_RPC_HOST", "127.0.0.1");
    env.put("WASMCLOUD_CTL_HOST", "127.0.0.1");
    env.put("WASMCLOUD_PROV_RPC_HOST", "127.0.0.1");
    env.put("WASMCLOUD_RPC_PORT", Integer.toString(port));
    env.put("WASMCLOUD_CTL_PORT", Integer.toString(port));
    env.put("WASMCLOUD_PROV_RPC_PORT", Integer.toString(port));
    env.put("WASMCLOUD_CLUSTER_SEED", cluster.seed());
    env.put("WASMCLOUD_ALLOW_FILE_LOAD", "true");
    env.put("TRELLIS_PROVIDER_HEALTH_INTERVAL_MS", "1000");
    env.put("TRELLIS_LATTICE_REPLICAS", "3");
    labels.forEach((k, v) -> env.put("HOST_" + k, v));
    return env;
  }

  private static void awaitDeployed(AppsClient apps, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        AppStatus s = apps.status(SoakApp.NAME);
        last = s.info().type().wire() + " " + s.info().message();
        if (s.info().type() == StatusType.DEPLOYED) {
          return;
        }
      } catch (RuntimeException e) {
        last = e.toString();
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("app not deployed within " + within + ": " + last);
  }

  /** Until every client stream's endpoint answers as expected once. */
  private static void awaitServing(Load load, SoakApp app, Connection nc, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        String echo = body(load.get(app.echoPort(), "/soak"));
        String count = body(load.get(app.counterPort(), load.counterPath + "?amount=0"));
        String ping = body(load.get(app.pingerPort(), "/"));
        Message reply = nc.request(SUBJECT, "soak".getBytes(), Duration.ofSeconds(3));
        String msg = reply == null || reply.isStatusMessage() ? "" : new String(reply.getData());
        last = "echo " + echo + " | counter " + count + " | pinger " + ping + " | messaging " + msg;
        if (echo.startsWith("200")
            && count.startsWith("200")
            && ping.startsWith("200")
            && msg.equals("reply: soak")) {
          return;
        }
      } catch (Exception e) {
        last = e.toString();
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the app does not serve within " + within + ": " + last);
  }

  private static String body(HttpResponse<String> r) {
    return r.statusCode() + " " + Load.shorten(r.body());
  }

  private static long finalCount(Load load, SoakApp app) throws InterruptedException {
    for (int i = 0; i < 60; i++) {
      try {
        HttpResponse<String> r = load.get(app.counterPort(), load.counterPath + "?amount=0");
        Matcher m = Load.COUNTER.matcher(r.body());
        if (r.statusCode() == 200 && m.find()) {
          return Long.parseLong(m.group(1));
        }
      } catch (Exception e) {
        // retried
      }
      Thread.sleep(1000);
    }
    return -1;
  }

  private static double number(String arg, String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      usage(arg + " needs a number, got '" + v + "'");
      return 0;
    }
  }

  private static long seed(String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      usage("--seed needs a whole number, got '" + v + "'");
      return 0;
    }
  }

  private static void usage(String problem) {
    System.err.println("soak: " + problem);
    System.err.println("usage: scripts/soak.sh [--minutes N] [--seed S]");
    System.exit(2);
  }

  /** The run is bounded: past the limit it stops everything it started and exits 3. */
  private static void watchdog(Duration limit) {
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try {
                Thread.sleep(limit.toMillis());
              } catch (InterruptedException e) {
                return;
              }
              System.out.println("soak: FAILED: still running after " + limit + "; stopping");
              Report.killLeftovers();
              Runtime.getRuntime().halt(3);
            });
  }
}
