package io.trellis.e2e.soak;

import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsServer;
import io.trellis.testkit.NatsServerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Three nats-servers in one cluster on loopback, JetStream on each. The cluster does not advertise
 * its members to clients ({@code no_advertise}), so a host connected to one server (or through a
 * proxy to it) stays on exactly that path: a partition through the proxy really cuts it off.
 */
final class SoakCluster implements AutoCloseable {
  final List<NatsServer> servers = new ArrayList<>();

  static SoakCluster start(int size) throws InterruptedException, ExecutionException {
    int[] routes = FreePorts.allocate(size);
    StringBuilder routeUrls = new StringBuilder();
    for (int r : routes) {
      routeUrls
          .append(routeUrls.isEmpty() ? "" : ", ")
          .append("\"nats-route://127.0.0.1:")
          .append(r)
          .append('"');
    }
    SoakCluster c = new SoakCluster();
    // members start in parallel: none is healthy before a JetStream meta leader exists (quorum)
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<NatsServer>> started = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        String extra =
            "cluster {\n  name: \"soak\"\n  listen: \"127.0.0.1:"
                + routes[i]
                + "\"\n  no_advertise: true\n  routes: [ "
                + routeUrls
                + " ]\n}\n";
        NatsServerOptions o =
            NatsServerOptions.builder().name("nats-" + (i + 1)).extraConfig(extra).build();
        started.add(pool.submit(() -> NatsServer.start(o)));
      }
      for (Future<NatsServer> f : started) {
        c.servers.add(f.get());
      }
    } catch (ExecutionException | RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  String[] urls() {
    return servers.stream().map(NatsServer::url).toArray(String[]::new);
  }

  @Override
  public void close() {
    servers.forEach(NatsServer::close);
  }
}
