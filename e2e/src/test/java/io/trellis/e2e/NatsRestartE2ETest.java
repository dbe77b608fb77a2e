package io.trellis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.trellis.ctl.CtlClient;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.par.ProviderArchive;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault matrix row 1 (docs/RELIABILITY.md): the nats-server is SIGKILLed under load while the
 * httpserver, keyvalue and messaging provider processes run, then restarted on the same port with
 * its JetStream file store. Requests in flight fail with a status, everything reconnects, the
 * control interface answers, and no acknowledged counter increment is lost.
 */
class NatsRestartE2ETest {
  private static final Pattern COUNT = Pattern.compile("(\\d+)");

  @TempDir Path dir;

  static String start(Host host, String name) {
    byte[] par = Lattice.par(name);
    host.providers().start(par, Lattice.parRef(name), "default", "", Map.of());
    String pk = ProviderArchive.read(par).publicKey();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> host.providers().isHealthy(pk, "default"));
    return pk;
  }

  static void link(Host host, String actor, String pk, String contract, Map<String, String> v) {
    host.lattice().putLink(LinkDefinition.of(actor, pk, "default", contract, v));
  }

  static boolean replies(Connection nc, String subject) {
    try {
      var m = nc.request(subject, "hi".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2));
      return m != null && new String(m.getData(), StandardCharsets.UTF_8).equals("reply: hi");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Test
  void aKilledNatsServerLosesNoAcknowledgedIncrement() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Host host =
            TestHosts.start(
                nats,
                KeyPair.generate(KeyType.CLUSTER),
                dir,
                Map.of(
                    "TRELLIS_PROVIDER_HEALTH_INTERVAL_MS",
                    "500",
                    "WASMCLOUD_ALLOW_FILE_LOAD",
                    "true"))) {
      String httpserver = start(host, "httpserver");
      String keyvalue = start(host, "keyvalue");
      String messaging = start(host, "messaging");
      String counter = Lattice.actor(host, "kvcounter");
      String subscriber = Lattice.actor(host, "subscriber");
      link(host, counter, keyvalue, Contracts.KEY_VALUE, Map.of("bucket", "row1_counters"));
      link(host, subscriber, messaging, Contracts.MESSAGING, Map.of("SUBSCRIPTION", "row1.req"));
      int port = FreePorts.allocate();
      link(
          host,
          counter,
          httpserver,
          Contracts.HTTP_SERVER,
          Map.of("ADDRESS", "127.0.0.1:" + port, "timeout_ms", "3000"));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Lattice.tryGet(port, "/row1?amount=0").startsWith("200"));
      try (Connection client = nats.connect()) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> replies(client, "row1.req"));
      }

      // load: +1 increments from 3 clients; every 200 is an acknowledged increment
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger acked = new AtomicInteger();
      AtomicInteger sent = new AtomicInteger();
      List<String> failures = new CopyOnWriteArrayList<>();
      List<Thread> load = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        load.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      while (running.get()) {
                        sent.incrementAndGet();
                        String r = Lattice.tryGet(port, "/row1?amount=1");
                        if (r.startsWith("200")) {
                          acked.incrementAndGet();
                        } else {
                          failures.add(r.length() > 80 ? r.substring(0, 80) : r);
                        }
                      }
                    }));
      }
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> acked.get() >= 50);
      long killedAt = System.nanoTime();
      nats.kill();
      int ackedAtKill = acked.get();
      nats.restart();
      // everything reconnects: increments are acknowledged again
      Awaitility.await("increments after the restart")
          .atMost(Duration.ofSeconds(60))
          .until(() -> acked.get() >= ackedAtKill + 50);
      long recoveredMs = (System.nanoTime() - killedAt) / 1_000_000;
      running.set(false);
      for (Thread t : load) {
        t.join();
      }
      System.out.printf(
          "RELIABILITY row 1: increments acknowledged again within %d ms of the kill; sent %d,"
              + " acked %d, failed %d %s%n",
          recoveredMs,
          sent.get(),
          acked.get(),
          failures.size(),
          failures.stream().map(f -> f.split(" ")[0]).distinct().toList());
      assertTrue(
          failures.stream().allMatch(f -> f.matches("5\\d\\d .*")),
          "requests that failed while NATS was down got an HTTP error status, not a hang or a"
              + " reset: "
              + failures);

      // every acknowledged increment is in the final count (unacknowledged ones may be too)
      String last = Lattice.get(port, "/row1?amount=0").body();
      Matcher m = COUNT.matcher(last);
      assertTrue(m.find(), last);
      long total = Long.parseLong(m.group(1));
      assertTrue(
          total >= acked.get() && total <= sent.get(),
          "count " + total + " holds the " + acked.get() + " acked of " + sent.get() + " sent");
      try (Connection client = nats.connect();
          CtlClient ctl =
              CtlClient.builder().connection(client).timeout(Duration.ofSeconds(5)).build()) {
        Awaitility.await("ctl answers")
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> ctl.pingHosts().stream().anyMatch(h -> h.id().equals(host.id())));
        Awaitility.await("messaging request/reply again")
            .atMost(Duration.ofSeconds(30))
            .until(() -> replies(client, "row1.req"));
        assertEquals(
            3,
            ctl.inventory(host.id()).providers().size(),
            "the three providers run (none was restarted away)");
      }
    }
  }
}
