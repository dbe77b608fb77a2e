package io.trellis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.trellis.apps.AppStatus;
import io.trellis.apps.Ownership;
import io.trellis.apps.StatusType;
import io.trellis.apps.api.ApiSubjects;
import io.trellis.apps.api.AppsClient;
import io.trellis.apps.service.AppsOptions;
import io.trellis.apps.service.AppsService;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsServer;
import io.trellis.testkit.NatsTopology;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application spread over the {@code us} and {@code eu} leaves of the global topology
 * (scripts/lattice-global.sh) by label, its reconcilers inside the hosts with the application
 * buckets in the hub's JetStream domain. The us host dies (its network goes: nothing says goodbye);
 * every request is answered by eu meanwhile; when a us host returns the spread is met again.
 */
class AppsGlobalTest {
  @TempDir Path dir;

  static final Map<String, String> OWNED = Ownership.ofApp("global");

  String manifest(int port, String version, String usSpread, String euSpread) {
    return """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: global
          annotations:
            version: %s
        spec:
          components:
            - name: echo
              type: actor
              properties:
                image: %s
              traits:
                - type: spreadscaler
                  properties:
                    replicas: 2
                    spread:
                      - name: %s
                        requirements: { region: us }
                      - name: %s
                        requirements: { region: eu }
                - type: linkdef
                  properties:
                    target: httpserver
                    values: { ADDRESS: "127.0.0.1:%d" }
            - name: httpserver
              type: capability
              properties:
                image: %s
                contract: wasmcloud:httpserver
              traits:
                - type: daemonscaler
                  properties:
                    replicas: 1
                    spread:
                      - name: ingress
                        requirements: { ingress: "true" }
        """
        .formatted(
            version,
            Path.of("..", "actors-samples", "dist", "echo.wasm")
                .toAbsolutePath()
                .normalize()
                .toUri(),
            usSpread,
            euSpread,
            port,
            Lattice.parRef("httpserver"));
  }

  Host host(NatsTopology topo, String leaf, KeyPair cluster, Map<String, String> labels) {
    Map<String, String> env = new HashMap<>();
    env.put("WASMCLOUD_JS_DOMAIN", "hub");
    env.put("WASMCLOUD_ALLOW_FILE_LOAD", "true");
    env.put("TRELLIS_PROVIDER_HEALTH_INTERVAL_MS", "500");
    labels.forEach((k, v) -> env.put("HOST_" + k, v));
    return TestHosts.start(topo.leaf(leaf), cluster, dir, env);
  }

  /** The reconciler next to a host, on its control connection, as `trellis host` runs it. */
  static AppsService reconciler(Host h) {
    return AppsService.start(h.connections().ctl(), AppsOptions.defaults("default", "hub", h.id()));
  }

  static int owned(Host h) {
    return owned(h, null);
  }

  /** Instances of the app on {@code h}, of one spread when {@code spread} is not null. */
  static int owned(Host h, String spread) {
    int n = 0;
    for (var r : h.actors().running().values()) {
      for (var i : r.actor().instances()) {
        boolean ours = i.annotations().entrySet().containsAll(OWNED.entrySet());
        boolean inSpread =
            spread == null || spread.equals(i.annotations().get(Ownership.SPREAD_NAME));
        n += ours && inSpread ? 1 : 0;
      }
    }
    return n;
  }

  @Test
  void theSpreadFailsOverToEuAndIsRestoredWhenUsReturns() throws Exception {
    KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
    int port = FreePorts.allocate();
    List<AutoCloseable> open = new ArrayList<>();
    try (NatsTopology topo = NatsTopology.global("hub", "us", "eu");
        Connection hub =
            NatsServer.connect(
                NatsServer.clientOptionsFor(topo.hubUrls().toArray(String[]::new)))) {
      Host us = host(topo, "us", cluster, Map.of("region", "us"));
      open.add(us);
      Host eu = host(topo, "eu", cluster, Map.of("region", "eu", "ingress", "true"));
      open.add(eu);
      AppsService usApps = reconciler(us);
      open.add(0, usApps);
      open.add(0, reconciler(eu));
      AppsClient apps =
          new AppsClient(hub, new ApiSubjects("wadm.api", "default"), Duration.ofSeconds(10));
      apps.put(manifest(port, "v1", "us", "eu").getBytes());
      apps.deploy("global", null);
      awaitStatus(apps, StatusType.DEPLOYED, Duration.ofSeconds(90));
      assertEquals(1, owned(us), "one replica in us");
      assertEquals(1, owned(eu), "one replica in eu");
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Lattice.tryGet(port, "/from/eu").startsWith("200"));

      // an upgrade that replaces every instance (new spread names): the new ones start before
      // the old ones stop, so every request in the meantime is answered
      apps.put(manifest(port, "v2", "usa", "europe").getBytes());
      int[] upgradeTraffic = new int[2];
      apps.deploy("global", "v2");
      long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < until) {
        upgradeTraffic[Lattice.tryGet(port, "/upgrade").startsWith("200") ? 0 : 1]++;
        AppStatus s = apps.status("global");
        if (s.version().equals("v2")
            && s.info().type() == StatusType.DEPLOYED
            && s.info().message().isEmpty()
            && owned(us) == 1
            && owned(eu) == 1) {
          break;
        }
      }
      assertEquals(0, upgradeTraffic[1], "no request failed during the upgrade");
      assertTrue(upgradeTraffic[0] > 0);
      assertEquals(1, owned(us, "usa"), "us runs the new version's instance only");
      assertEquals(1, owned(eu, "europe"));

      // the us host's network dies: no host_stopped, only silence
      usApps.close();
      us.connections().close();
      int failed = 0;
      int answered = 0;
      AppStatus during = null;
      long end = System.nanoTime() + Duration.ofSeconds(40).toNanos();
      while (System.nanoTime() < end) {
        if (Lattice.tryGet(port, "/during/" + answered).startsWith("200")) {
          answered++;
        } else {
          failed++;
        }
        during = apps.status("global");
        if (during.info().type() == StatusType.FAILED) {
          break;
        }
      }
      assertTrue(answered > 0, "eu answered meanwhile");
      assertTrue(failed <= 1, "at most the request in flight fails: " + failed);
      // us is declared lost; its spread has no host left, and the status says exactly that
      assertEquals(StatusType.FAILED, during.info().type(), String.valueOf(during));
      assertTrue(
          during.info().message().contains("spread usa: 0 of 1 hosts match region=us"),
          during.info().message());
      assertEquals(1, owned(eu), "eu keeps its own replica; the us one has nowhere to go");
      for (int i = 0; i < 10; i++) {
        assertEquals(200, Lattice.get(port, "/eu-only/" + i).statusCode());
      }

      // a us host returns: the spread is met again, eu undisturbed
      Host back = host(topo, "us", cluster, Map.of("region", "us"));
      open.add(back);
      open.add(0, reconciler(back));
      awaitStatus(apps, StatusType.DEPLOYED, Duration.ofSeconds(60));
      assertEquals(1, owned(back));
      assertEquals(1, owned(eu));

      // undeploy removes exactly what the app started: instances, the provider, the link
      String echoId = eu.actors().running().keySet().iterator().next();
      assertTrue(eu.lattice().link(echoId, "wasmcloud:httpserver", "default").isPresent());
      apps.undeploy("global");
      Awaitility.await("everything the app started is gone")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  owned(eu) == 0
                      && owned(back) == 0
                      && eu.providers().refs().isEmpty()
                      && eu.lattice().link(echoId, "wasmcloud:httpserver", "default").isEmpty());
      awaitStatus(apps, StatusType.UNDEPLOYED, Duration.ofSeconds(20));
    } finally {
      for (AutoCloseable c : open) {
        try {
          c.close();
        } catch (Exception e) {
          // the dead host's connections are closed already
        }
      }
    }
  }

  static AppStatus awaitStatus(AppsClient apps, StatusType type, Duration within) {
    return Awaitility.await("status " + type.wire())
        .atMost(within)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> apps.status("global"), s -> s.info().type() == type);
  }
}
