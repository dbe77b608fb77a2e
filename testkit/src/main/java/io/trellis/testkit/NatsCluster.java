package io.trellis.testkit;

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
            NatsServerOptions.builder().name(prefix + "-" + (i + 1)).extraConfig(cluster).build();
        started.add(pool.submit(() -> NatsServer.start(o)));
      }
      for (Future<NatsServer> f : started) {
        c.servers.add(f.get());
      }
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
