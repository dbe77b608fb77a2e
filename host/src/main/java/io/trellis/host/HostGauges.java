package io.trellis.host;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nats.client.Connection;
import io.trellis.host.actors.ActorSupervisor;
import io.trellis.host.config.HostConfig;
import io.trellis.host.config.InvalidHostConfigException;
import io.trellis.host.events.Heartbeat;
import io.trellis.host.metrics.MetricsEndpoint;
import io.trellis.host.providers.ProviderSupervisor;
import io.trellis.host.runtime.Actor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauges an operator looks at first, read when metrics are scraped rather than kept up to date
 * on the call path: per actor the live, busy and queued instances; per provider its health; per
 * NATS connection whether it is up and how often it reconnected (docs/OPERATIONS.md, metrics).
 */
final class HostGauges {
  private static final Logger LOG = LoggerFactory.getLogger(HostGauges.class);
  private final ActorSupervisor actors;
  private final ProviderSupervisor providers;
  private final MultiGauge instances;
  private final MultiGauge busy;
  private final MultiGauge queued;
  private final MultiGauge providerHealthy;

  HostGauges(
      MeterRegistry registry,
      ActorSupervisor actors,
      ProviderSupervisor providers,
      Map<String, Connection> connections) {
    this.actors = actors;
    this.providers = providers;
    instances =
        MultiGauge.builder("trellis.actor.instances")
            .description("wasm instances of the actor that exist now (on demand, up to its count)")
            .register(registry);
    busy =
        MultiGauge.builder("trellis.actor.instances.busy")
            .description("instances serving a call now")
            .register(registry);
    queued =
        MultiGauge.builder("trellis.actor.calls.queued")
            .description("calls waiting for a free instance now")
            .register(registry);
    providerHealthy =
        MultiGauge.builder("trellis.provider.healthy")
            .description("1 while the provider's last health check passed, else 0")
            .register(registry);
    connections.forEach(
        (name, c) -> {
          FunctionCounter.builder(
                  "trellis.nats.reconnects", c, conn -> conn.getStatistics().getReconnects())
              .description("times this NATS connection was re-established")
              .tag("connection", name)
              .register(registry);
          Gauge.builder(
                  "trellis.nats.connected",
                  c,
                  conn -> conn.getStatus() == Connection.Status.CONNECTED ? 1 : 0)
              .description("1 while this NATS connection is up")
              .tag("connection", name)
              .register(registry);
        });
  }

  /**
   * Serves the registry at {@code /metrics} on the configured address, with these gauges read
   * before each scrape.
   */
  static MetricsEndpoint serve(
      PrometheusMeterRegistry registry,
      ActorSupervisor actors,
      ProviderSupervisor providers,
      Map<String, Connection> connections,
      HostConfig.Observability observability) {
    HostGauges gauges = new HostGauges(registry, actors, providers, connections);
    String bind = observability.metricsBind();
    try {
      MetricsEndpoint endpoint =
          new MetricsEndpoint(registry, gauges::refresh, bind, observability.metricsPort());
      LOG.info("metrics at http://{}:{}/metrics", bind, endpoint.port());
      return endpoint;
    } catch (IOException e) {
      throw new InvalidHostConfigException(
          "cannot serve metrics on "
              + bind
              + ":"
              + observability.metricsPort()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** Reads the current values; called before each scrape. */
  void refresh() {
    List<MultiGauge.Row<?>> live = new ArrayList<>();
    List<MultiGauge.Row<?>> working = new ArrayList<>();
    List<MultiGauge.Row<?>> waiting = new ArrayList<>();
    actors
        .running()
        .forEach(
            (key, r) -> {
              Actor a = r.actor();
              Tags tags = Tags.of("actor", key);
              live.add(MultiGauge.Row.of(tags, a.liveInstances()));
              working.add(MultiGauge.Row.of(tags, a.busyInstances()));
              waiting.add(MultiGauge.Row.of(tags, a.queuedCalls()));
            });
    instances.register(live, true);
    busy.register(working, true);
    queued.register(waiting, true);
    List<MultiGauge.Row<?>> health = new ArrayList<>();
    for (Heartbeat.ProviderRef p : providers.refs()) {
      boolean ok = providers.isHealthy(p.publicKey(), p.linkName());
      health.add(
          MultiGauge.Row.of(
              Tags.of("provider", p.publicKey(), "link_name", p.linkName()), ok ? 1 : 0));
    }
    providerHealthy.register(health, true);
  }
}
