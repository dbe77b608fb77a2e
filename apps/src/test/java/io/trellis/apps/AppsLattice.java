package io.trellis.apps;

import io.nats.client.Connection;
import io.trellis.apps.api.ApiSubjects;
import io.trellis.apps.api.AppsClient;
import io.trellis.apps.leader.LeaseSettings;
import io.trellis.apps.reconcile.ReconcilerSettings;
import io.trellis.apps.service.AppsOptions;
import io.trellis.apps.service.AppsService;
import io.trellis.ctl.CtlClient;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.ctl.HostInventory;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * A real nats-server, real in-JVM hosts with labels, and application services: what the reconciler
 * tests run against.
 */
public final class AppsLattice implements AutoCloseable {
  public static final Path ECHO =
      Path.of("..", "actors-samples", "dist", "echo.wasm").toAbsolutePath().normalize();

  public final NatsServer nats;
  public final KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
  public final List<Host> hosts = new ArrayList<>();
  public final List<AppsService> services = new ArrayList<>();
  private final List<Connection> serviceConnections = new ArrayList<>();
  public final Connection client;
  public final AppsClient apps;
  public final CtlClient ctl;
  private final Path dir;

  public AppsLattice(Path dir) {
    this.dir = dir;
    this.nats = NatsServer.start();
    this.client = nats.connect();
    this.apps =
        new AppsClient(client, new ApiSubjects("wadm.api", "default"), Duration.ofSeconds(10));
    this.ctl = CtlClient.builder().connection(client).timeout(Duration.ofSeconds(5)).build();
  }

  public static String echoRef() {
    return ECHO.toUri().toString();
  }

  /** Fast timings for tests: passes every second, hosts lost after 3 s of silence. */
  public static AppsOptions options(String id) {
    return AppsOptions.defaults("default", null, id)
        .withReconciler(
            ReconcilerSettings.defaults()
                .withReconcileEvery(Duration.ofSeconds(1))
                .withHostLostAfter(Duration.ofSeconds(3)))
        .withLease(
            new LeaseSettings(
                Duration.ofSeconds(3),
                Duration.ofMillis(800),
                Duration.ofMillis(300),
                Duration.ofMillis(600)));
  }

  public Host addHost(Map<String, String> labels) {
    Map<String, String> env = new HashMap<>();
    env.put("WASMCLOUD_ALLOW_FILE_LOAD", "true");
    env.put("TRELLIS_LIVENESS_INTERVAL_MS", "500");
    labels.forEach((k, v) -> env.put("HOST_" + k, v));
    Host h = TestHosts.start(nats, cluster, dir, env);
    hosts.add(h);
    return h;
  }

  public AppsService addService(String id) {
    Connection nc = nats.connect();
    serviceConnections.add(nc);
    AppsService s = AppsService.start(nc, options(id));
    services.add(s);
    return s;
  }

  public AppsService awaitLeader() {
    return Awaitility.await("a leader")
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> services.stream().filter(AppsService::isLeader).findFirst().orElse(null),
            s -> s != null);
  }

  /** Instances of {@code actorId} on {@code host} (from the host itself). */
  public static int instances(Host host, String actorId) {
    var r = host.actors().running().get(actorId);
    return r == null ? 0 : r.actor().instanceCount();
  }

  /** Instances on {@code host} whose annotations include {@code filter}. */
  public static int instancesWith(Host host, Map<String, String> filter) {
    int n = 0;
    for (var r : host.actors().running().values()) {
      for (var i : r.actor().instances()) {
        if (i.annotations().entrySet().containsAll(filter.entrySet())) {
          n++;
        }
      }
    }
    return n;
  }

  public HostInventory inventory(Host h) {
    return ctl.inventory(h.id());
  }

  public AppStatus awaitStatus(String app, StatusType type, Duration within) {
    return Awaitility.await(app + " " + type.wire())
        .atMost(within)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> apps.status(app), s -> s.info().type() == type);
  }

  @Override
  public void close() {
    for (AppsService s : services) {
      s.close();
    }
    for (Connection nc : serviceConnections) {
      try {
        nc.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Host h : hosts) {
      try {
        h.stop(Duration.ofSeconds(2));
      } catch (RuntimeException e) {
        // already stopped
      }
    }
    ctl.close();
    try {
      client.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    nats.close();
  }
}
