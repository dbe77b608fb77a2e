package io.trellis.host;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.trellis.host.ctl.ControlledHost;
import io.trellis.host.ctl.HostFacts;
import io.trellis.host.events.EventPublisher;
import io.trellis.host.events.Heartbeat;
import io.trellis.host.metrics.InvocationCounts;
import io.trellis.wasmbus.ctl.CtlJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the host tells the lattice about itself (PROTOCOL.md §8.5): {@code host_started} once it is
 * up, a heartbeat right away and then at the interval (and on demand, after a ping or a label
 * change), {@code host_stopped} when it goes.
 */
final class HostAnnouncer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HostAnnouncer.class);

  private final EventPublisher events;
  private final ControlledHost host;
  private final HostFacts facts;
  private final Duration interval;
  private final MeterRegistry registry;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "trellis-heartbeat");
            t.setDaemon(true);
            return t;
          });

  HostAnnouncer(
      EventPublisher events, ControlledHost host, Duration interval, MeterRegistry registry) {
    this.events = events;
    this.host = host;
    this.facts = host.facts();
    this.interval = interval;
    this.registry = registry;
  }

  /** Publishes {@code host_started}, then one heartbeat at once and one every {@code interval}. */
  void started() {
    ObjectNode started = EventPublisher.data();
    started.set("labels", CtlJson.mapNode(host.labels()));
    started.put("friendly_name", facts.friendlyName());
    started.put("uptime_seconds", 0);
    started.put("version", facts.version());
    events.publish("host_started", started);
    // One beat right away so observers see a new host at once, then every interval.
    scheduler.scheduleAtFixedRate(
        this::heartbeatSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Publishes a few bytes on {@code subject} at once and then every {@code every} (nothing when it
   * is zero), so a reconciler notices a silent death within seconds (PROTOCOL.md §15.6); heartbeats
   * carry the whole inventory and stay infrequent. Stops with the heartbeats.
   */
  void sendLiveness(Connection nats, String subject, Duration every) {
    if (every.isZero() || every.isNegative()) {
      return;
    }
    byte[] signal = Long.toString(every.toMillis()).getBytes(StandardCharsets.US_ASCII);
    scheduler.scheduleAtFixedRate(
        () -> {
          try {
            nats.publish(subject, signal);
          } catch (RuntimeException e) {
            LOG.debug("liveness signal failed: {}", e.toString());
          }
        },
        0,
        every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * The OTP-shaped heartbeat plus Trellis's interval and per-actor invocation totals, read from the
   * meters here rather than counted on the call path.
   */
  void heartbeat() {
    Map<String, Integer> counts = host.actors().counts();
    events.publish(
        "host_heartbeat",
        Heartbeat.withTrellisFields(
            Heartbeat.data(
                counts,
                host.providers().refs(),
                host.labels(),
                facts.friendlyName(),
                facts.version(),
                host.uptime()),
            interval,
            InvocationCounts.of(registry, counts.keySet())));
  }

  private void heartbeatSafely() {
    try {
      host.publishHeartbeat();
    } catch (RuntimeException e) {
      LOG.warn("heartbeat failed: {}", e.toString());
    }
  }

  /** Stops the periodic heartbeats and publishes {@code host_stopped}. */
  void stopped() {
    close();
    ObjectNode d = EventPublisher.data();
    d.set("labels", CtlJson.mapNode(host.labels()));
    events.publish("host_stopped", d);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
