package io.trellis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.trellis.ctl.CtlClient;
import io.trellis.e2e.dashboard.TrellisProcess;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.host.metrics.InvocationCounts;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsServer;
import io.trellis.testkit.NatsTopology;
import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.par.ProviderArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a request is served in the global topology (hub supercluster of 2x2, leaves us and eu) when
 * the same actor runs in both regions and the request enters at eu, and what happens when eu's
 * instances stop or its host dies (docs/ARCHITECTURE.md, "Locality").
 *
 * <p>Hosts: {@code us} (in this JVM, on leaf us) runs echo; {@code eu-edge} (in this JVM, on leaf
 * eu) runs the httpserver provider, where requests enter, and echo; {@code eu-worker} (a separate
 * {@code trellis host} process on leaf eu, so that it can really die) runs echo in the last part.
 * Where a request was served is read from the hosts' own meters; in the last part, what the us host
 * did not serve only eu-worker can have served.
 *
 * <p>Sizes come from system properties so scripts/bench/locality.sh can run it bigger: {@code
 * locality.requests} (sequential requests per latency measurement, default 300) and {@code
 * locality.threads} (concurrent clients during the switches, default 4).
 */
class GlobalLocalityTest {
  static final int REQUESTS = Integer.getInteger("locality.requests", 300);
  static final int THREADS = Integer.getInteger("locality.threads", 4);
  static final String ECHO =
      Path.of("..", "actors-samples", "dist", "echo.wasm").toAbsolutePath().toString();

  @TempDir Path dir;

  static Map<String, String> hostEnv(String region) {
    return Map.of(
        "WASMCLOUD_JS_DOMAIN",
        "hub",
        "HOST_region",
        region,
        "WASMCLOUD_ALLOW_FILE_LOAD",
        "true",
        "TRELLIS_PROVIDER_HEALTH_INTERVAL_MS",
        "500");
  }

  static long served(Host h, String actor) {
    return InvocationCounts.of(h.meterRegistry(), Set.of(actor)).get(actor).total();
  }

  static String line(String what, List<HttpLoad.Sample> s) {
    return String.format(
        Locale.ROOT,
        "%s: %d requests, %d errors %s, p50 %.2f ms, p99 %.2f ms",
        what,
        s.size(),
        HttpLoad.errors(s),
        HttpLoad.byStatus(s),
        HttpLoad.quantileMs(s, 0.5),
        HttpLoad.quantileMs(s, 0.99));
  }

  @Test
  void requestsEnteringAtEuAreServedInEuAndFailOverToUs() throws Exception {
    KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
    try (NatsTopology topo = NatsTopology.global();
        Host us = TestHosts.start(topo.leaf("us"), cluster, dir, hostEnv("us"));
        Host edge = TestHosts.start(topo.leaf("eu"), cluster, dir, hostEnv("eu"));
        Connection hubClient =
            NatsServer.connect(NatsServer.clientOptionsFor(topo.hubUrls().toArray(String[]::new)));
        CtlClient ctl = CtlClient.builder().connection(hubClient).build()) {
      Map<String, String> workerEnv = new HashMap<>(TestHosts.env(topo.leaf("eu"), cluster, dir));
      workerEnv.putAll(hostEnv("eu"));
      workerEnv.put("HOST_role", "worker");
      workerEnv.put("TRELLIS_FRIENDLY_NAME", "eu-worker");
      Path workerHome = Files.createDirectories(dir.resolve("eu-worker"));
      TrellisProcess worker = TrellisProcess.start(workerHome, workerEnv, "host");
      try {
        String workerId =
            worker.awaitOutput(
                "Host (N[A-Z0-9]{55}) \\(eu-worker\\) is running", Duration.ofSeconds(90));
        run(topo, us, edge, ctl, worker, workerId);
      } finally {
        worker.close();
      }
    }
  }

  private void run(
      NatsTopology topo, Host us, Host edge, CtlClient ctl, TrellisProcess worker, String workerId)
      throws Exception {
    byte[] echoBytes = Files.readAllBytes(Path.of(ECHO));
    us.actors().start(echoBytes, ECHO, THREADS, Map.of());
    edge.actors().start(echoBytes, ECHO, THREADS, Map.of());
    String echo = us.actors().running().keySet().iterator().next();
    // the same code under another key, run in us only: the remote side of the latency comparison
    KeyPair usOnlyKey = KeyPair.generate(KeyType.MODULE);
    us.actors().start(resigned(echoBytes, usOnlyKey), "", THREADS, Map.of());
    String usOnly = usOnlyKey.publicKey();

    byte[] par = Lattice.par("httpserver");
    String httpserver = ProviderArchive.read(par).publicKey();
    edge.providers().start(par, "", "default", "", Map.of());
    int port = FreePorts.allocate();
    for (var route : Map.of(echo, "/api/*", usOnly, "/us-only/*").entrySet()) {
      edge.lattice()
          .putLink(
              LinkDefinition.of(
                  route.getKey(),
                  httpserver,
                  "default",
                  Contracts.HTTP_SERVER,
                  Map.of(
                      "address",
                      "127.0.0.1:" + port,
                      "path",
                      route.getValue(),
                      "timeout_ms",
                      "2000")));
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                Lattice.tryGet(port, "/api/ready").startsWith("200")
                    && Lattice.tryGet(port, "/us-only/ready").startsWith("200"));

    // 1. Both regions up: every request entering at eu is served in eu. Local and remote
    // latencies are measured alternately (both actor hosts run in this JVM), so they differ by
    // the route only: eu leaf, or eu leaf -> hub-b -> gateway -> hub-a -> us leaf and back.
    HttpLoad.alternating(port, "/api/warm", "/us-only/warm", REQUESTS); // JIT
    long usBefore = served(us, echo);
    long euBefore = served(edge, echo);
    List<List<HttpLoad.Sample>> both =
        HttpLoad.alternating(port, "/api/local", "/us-only/remote", REQUESTS);
    List<HttpLoad.Sample> local = both.get(0);
    long inUs = served(us, echo) - usBefore;
    long inEu = served(edge, echo) - euBefore;
    System.out.println(line("LOCALITY both regions up, served in eu (local)", local));
    System.out.println(line("LOCALITY actor in us only (remote)", both.get(1)));
    System.out.printf("LOCALITY served in eu: %d of %d, in us: %d%n", inEu, local.size(), inUs);
    assertEquals(0, HttpLoad.errors(local) + HttpLoad.errors(both.get(1)));
    assertEquals(REQUESTS, inEu, "with eu up, every request entering at eu is served in eu");
    assertEquals(0, inUs);

    // 2. eu's instances stop under load: requests move to us.
    List<HttpLoad.Sample> stopSwitch;
    try (HttpLoad load = HttpLoad.start(port, "/api/stop", THREADS)) {
      awaitFinished(load, 200);
      long usAtStop = served(us, echo);
      ctl.stopActor(edge.id(), echo, 0, Map.of());
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> edge.actors().running().isEmpty() && served(us, echo) > usAtStop + 200);
      stopSwitch = load.stop();
      System.out.println(line("LOCALITY eu instances stopped under load", stopSwitch));
    }

    // eu stopped: everything entering at eu is served in us
    usBefore = served(us, echo);
    List<HttpLoad.Sample> remote = HttpLoad.sequential(port, "/api/remote", REQUESTS);
    System.out.println(line("LOCALITY eu stopped, served in us", remote));
    assertEquals(0, HttpLoad.errors(remote));
    assertEquals(REQUESTS, served(us, echo) - usBefore, "all of them in us");

    // 3. eu again, on the eu-worker process: local again at once.
    ctl.startActorAndWait(workerId, ECHO, THREADS, Map.of(), Duration.ofSeconds(60));
    usBefore = served(us, echo);
    List<HttpLoad.Sample> back = HttpLoad.sequential(port, "/api/back", REQUESTS);
    long backInUs = served(us, echo) - usBefore;
    System.out.printf(
        "LOCALITY eu running again (eu-worker): %d of %d served in eu%n",
        back.size() - backInUs, back.size());
    assertEquals(0, HttpLoad.errors(back));
    assertEquals(0, backInUs, "back in eu as soon as it runs there again");

    // 4. That eu host dies (SIGKILL) under load: requests move to us.
    List<HttpLoad.Sample> killSwitch;
    try (HttpLoad load = HttpLoad.start(port, "/api/kill", THREADS)) {
      awaitFinished(load, 200);
      worker.kill();
      long usAtKill = served(us, echo);
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> served(us, echo) > usAtKill + 200);
      killSwitch = load.stop();
      System.out.println(line("LOCALITY eu host killed under load", killSwitch));
    }
    usBefore = served(us, echo);
    List<HttpLoad.Sample> afterKill = HttpLoad.sequential(port, "/api/after-kill", 50);
    assertEquals(0, HttpLoad.errors(afterKill), "us serves everything once eu is gone");
    assertEquals(50, served(us, echo) - usBefore);
    // at most the requests in flight when it happened: one per client thread
    assertTrue(HttpLoad.errors(stopSwitch) <= THREADS, line("stop", stopSwitch));
    assertTrue(HttpLoad.errors(killSwitch) <= THREADS, line("kill", killSwitch));
  }

  /** Echo signed again under another module key: the same code as a different actor. */
  static byte[] resigned(byte[] module, KeyPair subject) {
    ActorMetadata meta =
        new ActorMetadata(
            "echo-us-only",
            null,
            List.of(),
            List.of(Contracts.HTTP_SERVER),
            1,
            "0.1.0",
            null,
            false);
    return ModuleClaims.sign(
        module,
        meta,
        KeyPair.generate(KeyType.ACCOUNT),
        subject,
        Instant.now().getEpochSecond(),
        "locality",
        null,
        null);
  }

  static void awaitFinished(HttpLoad load, int n) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> load.finished() >= n);
  }
}
