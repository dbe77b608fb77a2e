package io.trellis.testkit;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One cluster of nats-servers on loopback, JetStream on each (so replicated streams, R3 with three
 * members, really are replicated). By default the cluster does not advertise its members to clients
 * ({@code no_advertise}): a client connected to one server, or through a {@link TcpProxy} to it,
 * stays on exactly that path, so a test can put clients on different servers and a partition really
 * cuts. Members are named {@code <prefix>-1} .. {@code <prefix>-<size>}.
 */
public final class NatsCluster implements AutoCloseable {
  /** Bound for the members to start and accept replicated streams. */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final List<NatsServer> servers = new ArrayList<>();

  private NatsCluster() {}

  /**
   * Starts {@code size} members in parallel (none is healthy before a JetStream meta leader exists,
   * which needs a quorum) and returns when all answer.
   *
   * @throws IllegalArgumentException when {@code size} is below 1
   * @throws NatsServerException when a member does not start
   */
  public static NatsCluster start(String prefix, int size) throws InterruptedException {
    return start(prefix, size, false);
  }

  /**
   * Like {@link #start(String, int)}; with {@code advertise} the members tell clients about each
   * other (nats-server's default), so a client connected to one fails over to another by itself.
   */
  public static NatsCluster start(String prefix, int size, boolean advertise)
      throws InterruptedException {
    return start(prefix, size, advertise, "");
  }

  /**
   * Like {@link #start(String, int, boolean)}, with {@code extraConfig} (top-level settings such as
   * {@code ping_interval}) in every member's config.
   */
  public static NatsCluster start(String prefix, int size, boolean advertise, String extraConfig)
      throws InterruptedException {
    if (size < 1) {
      throw new IllegalArgumentException("a cluster needs at least 1 server, got " + size);
    }
    List<Integer> routes = new ArrayList<>();
    for (int p : FreePorts.allocate(size)) {
      routes.add(p);
    }
    NatsCluster c = new NatsCluster();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<NatsServer>> started = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        String cluster = TopologyConfig.cluster(prefix, routes.get(i), routes);
        if (!advertise) {
          cluster = cluster.replace("\n  routes:", "\n  no_advertise: true\n  routes:");
        }
        NatsServerOptions o =
            NatsServerOptions.builder()
                .name(prefix + "-" + (i + 1))
                .extraConfig(extraConfig + cluster)
                .build();
        started.add(pool.submit(() -> NatsServer.start(o)));
      }
      for (Future<NatsServer> f : started) {
        c.servers.add(f.get());
      }
      c.awaitReplicatedStreams(prefix);
    } catch (ExecutionException e) {
      c.close();
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new NatsServerException("cluster " + prefix + " did not start: " + e.getCause(), e);
    } catch (RuntimeException | InterruptedException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /**
   * Healthy members do not mean a replicated stream can be placed yet (the meta leader must know
   * every peer): a host creating its R3 lattice bucket right away timed out on a loaded machine. So
   * creating a probe stream with one replica per member (at most 5) must succeed first.
   */
  private void awaitReplicatedStreams(String prefix) {
    int replicas = Math.min(servers.size(), 5);
    if (replicas < 2) {
      return;
    }
    try (Connection nc = NatsServer.connect(NatsServer.clientOptionsFor(urls()))) {
      JetStreamManagement jsm =
          nc.jetStreamManagement(
              JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(2)).build());
      StreamConfiguration probe =
          StreamConfiguration.builder()
              .name("TESTKIT_PROBE")
              .subjects("testkit.probe")
              .storageType(StorageType.Memory)
              .replicas(replicas)
              .build();
      Poll.until(
          "cluster " + prefix + ": a stream with " + replicas + " replicas",
          READY_TIMEOUT,
          servers,
          () -> {
            try {
              jsm.addStream(probe);
              jsm.deleteStream(probe.getName());
              return null;
            } catch (IOException | JetStreamApiException | RuntimeException e) {
              return e.toString();
            }
          });
    } catch (IOException e) {
      throw new NatsServerException("cluster " + prefix + ": no JetStream context: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NatsServerException("interrupted while waiting for cluster " + prefix, e);
    }
  }

  /** The members, in name order. */
  public List<NatsServer> servers() {
    return List.copyOf(servers);
  }

  public NatsServer server(int index) {
    return servers.get(index);
  }

  /** Every member's client URL. */
  public String[] urls() {
    return servers.stream().map(NatsServer::url).toArray(String[]::new);
  }

  @Override
  public void close() {
    servers.forEach(NatsServer::close);
  }
}
