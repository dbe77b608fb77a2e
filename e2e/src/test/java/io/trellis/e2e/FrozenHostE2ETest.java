package io.trellis.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.trellis.ctl.CtlClient;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsServer;
import io.trellis.testkit.NatsServerOptions;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.par.ProviderArchive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host frozen with SIGSTOP (a stuck JVM, a suspended VM) keeps its TCP connection, so NATS keeps
 * handing it its share of the requests, which time out, until the server's ping timeout closes the
 * connection. With short ping settings such as the ones `trellis up` writes (docs/OPERATIONS.md),
 * that takes seconds instead of minutes; when the host runs again it reconnects and serves.
 */
class FrozenHostE2ETest {
  /** Faster than trellis up's 2 s × 2 so the test is short; the mechanism is the same. */
  static final String PINGS = "ping_interval: \"1s\"\nping_max: 2\n";

  @TempDir Path dir;

  @Test
  void aFrozenHostsShareOfRequestsMovesToTheOthersAndItServesAgainWhenItRuns() throws Exception {
    KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
    NatsServerOptions options = NatsServerOptions.builder().extraConfig(PINGS).build();
    try (NatsServer nats = NatsServer.start(options);
        Connection nc = nats.connect();
        CtlClient ctl = CtlClient.builder().connection(nc).timeout(Duration.ofSeconds(5)).build();
        HostProcess frozen =
            HostProcess.start("frozen", dir, HostKillE2ETest.env(nats.port(), cluster));
        HostProcess other =
            HostProcess.start("other", dir, HostKillE2ETest.env(nats.port(), cluster))) {
      String httpserver = ProviderArchive.read(Lattice.par("httpserver")).publicKey();
      String echoRef = HostKillE2ETest.echoRef();
      CtlClient.require(ctl.startActor(frozen.id(), echoRef, 1, Map.of()), "echo on frozen");
      CtlClient.require(ctl.startActor(other.id(), echoRef, 1, Map.of()), "echo on other");
      CtlClient.require(
          ctl.startProvider(other.id(), Lattice.parRef("httpserver"), "default", "", Map.of()),
          "httpserver on other");
      HostKillE2ETest.awaitProvider(ctl, other.id(), httpserver, "default");
      String echo = HostKillE2ETest.actorOn(ctl, frozen.id());
      int port = FreePorts.allocate();
      CtlClient.require(
          ctl.putLink(
              LinkDefinition.of(
                  echo,
                  httpserver,
                  "default",
                  Contracts.HTTP_SERVER,
                  Map.of("ADDRESS", "127.0.0.1:" + port, "timeout_ms", "1500"))),
          "link");
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Lattice.tryGet(port, "/").startsWith("200"));

      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger ok = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      AtomicLong lastFailure = new AtomicLong();
      List<Thread> load = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        load.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      while (running.get()) {
                        if (Lattice.tryGet(port, "/load").startsWith("200")) {
                          ok.incrementAndGet();
                        } else {
                          failed.incrementAndGet();
                          lastFailure.set(System.nanoTime());
                        }
                      }
                    }));
      }
      try {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> ok.get() >= 30);
        assertTrue(failed.get() == 0, failed.get() + " failures before the freeze");
        long frozenAt = System.nanoTime();
        frozen.signal("STOP");
        // positive control: the frozen host really took a share of the requests
        Awaitility.await("requests to the frozen host time out")
            .atMost(Duration.ofSeconds(20))
            .until(() -> failed.get() > 0);
        // then its connection is closed as stale and the other host answers everything
        int[] okBefore = new int[1];
        Awaitility.await("300 answers in a row from the other host")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  long quietFor = System.nanoTime() - lastFailure.get();
                  if (quietFor < 1_500_000_000L) {
                    okBefore[0] = ok.get();
                    return false;
                  }
                  return ok.get() - okBefore[0] >= 300;
                });
        long failingMs = (lastFailure.get() - frozenAt) / 1_000_000;
        System.out.printf(
            "RELIABILITY frozen host: %d requests failed, the last %d ms after SIGSTOP (pings 1 s"
                + " x 2, timeout_ms 1500)%n",
            failed.get(), failingMs);
        // nats-server counts deliveries to the frozen host as activity and delays its pings while
        // requests keep coming: ~9 s measured here; with its defaults this would last minutes
        assertTrue(failingMs < 25_000, "requests still failed " + failingMs + " ms after SIGSTOP");
      } finally {
        frozen.signal("CONT");
      }
      // running again: it reconnects and resubscribes; with echo gone from the other host, every
      // request must reach the formerly frozen one
      Awaitility.await("the thawed host answers ctl")
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> ctl.inventory(frozen.id()).actors().size() == 1);
      CtlClient.require(ctl.stopActor(other.id(), echo, 1, Map.of()), "stop echo on other");
      Awaitility.await("echo served by the thawed host alone")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  ctl.inventory(other.id()).actors().isEmpty()
                      && Lattice.tryGet(port, "/thawed").startsWith("200"));
      int okAfter = ok.get();
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ok.get() >= okAfter + 50);
      running.set(false);
      for (Thread t : load) {
        t.join();
      }
    }
  }
}
