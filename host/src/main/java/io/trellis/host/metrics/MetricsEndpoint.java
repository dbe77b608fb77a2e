package io.trellis.host.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Serves the host's meters in Prometheus text format at {@code /metrics}. Off unless a port is
 * configured; binds 127.0.0.1 unless told otherwise, because metrics name every actor.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final HttpServer server;

  /**
   * @param beforeScrape reads the gauges that are sampled rather than kept up to date
   */
  public MetricsEndpoint(
      PrometheusMeterRegistry registry, Runnable beforeScrape, String bind, int port)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(bind, port), 16);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/metrics",
        exchange -> {
          beforeScrape.run();
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(404, -1);
          exchange.close();
        });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
