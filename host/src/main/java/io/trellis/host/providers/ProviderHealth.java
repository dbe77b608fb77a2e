package io.trellis.host.providers;

import io.nats.client.Connection;
import io.trellis.wasmbus.interfaces.Health;
import io.trellis.wasmbus.subjects.Subjects;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Health checks of supervised providers (PROTOCOL.md §7.4): probes a starting provider quickly
 * until its first healthy answer, then at the health interval (an unhealthy one every few seconds),
 * and publishes the health events. The first healthy answer of a launch is handed to {@code
 * onHealthy}, which re-sends the provider's links.
 */
final class ProviderHealth {
  /** How long after a launch a provider is probed quickly (and its failures are not events yet). */
  static final Duration STARTUP_WINDOW = Duration.ofSeconds(10);

  static final Duration UNHEALTHY_PROBE = Duration.ofSeconds(5);

  /**
   * Checks in a row without an answer, while the host's own connection was up, after which a
   * provider counts as hung (stopped, deadlocked, disconnected for good) and is killed; the usual
   * restart with backoff follows. Failures while the host is disconnected do not count: NATS being
   * away is not the provider's fault.
   */
  static final int UNANSWERED_LIMIT = 3;

  /**
   * How long a launch that never answered a health check is left alone. A JVM provider on a busy
   * machine can take well over the startup window to listen; killing it then only restarts the slow
   * start (the soak run saw an httpserver killed this way again and again, ~98 s without HTTP). One
   * that answered once and then stops answering is killed after the limit above.
   */
  static final Duration FIRST_ANSWER_GRACE = Duration.ofSeconds(60);

  private final Connection rpc;
  private final String latticePrefix;
  private final Duration rpcTimeout;
  private final ProviderOptions options;
  private final Clock clock;
  private final ProviderEvents events;
  private final ScheduledExecutorService scheduler;
  private final Predicate<SupervisedProvider> supervised;
  private final Consumer<SupervisedProvider> onHealthy;
  private final BooleanSupplier hostConnected;

  /**
   * @param supervised whether a provider is still supervised (not stopping, not replaced, the
   *     supervisor not closed); probes of others end
   */
  ProviderHealth(
      Connection rpc,
      String latticePrefix,
      Duration rpcTimeout,
      ProviderOptions options,
      Clock clock,
      ProviderEvents events,
      ScheduledExecutorService scheduler,
      Predicate<SupervisedProvider> supervised,
      Consumer<SupervisedProvider> onHealthy,
      BooleanSupplier hostConnected) {
    this.rpc = rpc;
    this.latticePrefix = latticePrefix;
    this.rpcTimeout = rpcTimeout;
    this.options = options;
    this.clock = clock;
    this.events = events;
    this.scheduler = scheduler;
    this.supervised = supervised;
    this.onHealthy = onHealthy;
    this.hostConnected = hostConnected;
  }

  /** Starts probing a provider that was just launched. */
  void watch(SupervisedProvider p) {
    schedule(p, options.startupProbe());
  }

  private void schedule(SupervisedProvider p, Duration delay) {
    if (!scheduler.isShutdown()) {
      scheduler.schedule(() -> probe(p), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private boolean starting(SupervisedProvider p) {
    return System.nanoTime() - p.launchedAt < STARTUP_WINDOW.toNanos() && p.healthySince == 0;
  }

  private void probe(SupervisedProvider p) {
    if (!supervised.test(p) || !p.isAlive()) {
      return;
    }
    Process current = p.process();
    boolean connectedBefore = hostConnected.getAsBoolean();
    rpc.request(Subjects.health(latticePrefix, p.publicKey(), p.linkName()), Health.CHECK_REQUEST)
        .orTimeout(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (msg, err) -> {
              if (current != p.process()) {
                return;
              }
              boolean ok = err == null && msg != null && !msg.isStatusMessage();
              boolean startup = starting(p);
              onHealth(p, ok, startup);
              if (unresponsive(p, ok, startup, connectedBefore)) {
                return;
              }
              // Fast probes only while starting, so links are re-sent as soon as it listens; an
              // unhealthy provider is then re-checked every few seconds, a healthy one at the
              // interval.
              Duration next =
                  p.healthy
                      ? options.healthInterval()
                      : startup
                          ? options.startupProbe()
                          : min(options.healthInterval(), UNHEALTHY_PROBE);
              schedule(p, next);
            });
  }

  /** Counts unanswered checks; kills a provider that stopped answering. True when it did. */
  private boolean unresponsive(
      SupervisedProvider p, boolean ok, boolean startup, boolean connectedBefore) {
    if (ok) {
      p.unanswered = 0;
      return false;
    }
    boolean neverAnswered =
        p.healthySince == 0 && System.nanoTime() - p.launchedAt < FIRST_ANSWER_GRACE.toNanos();
    if (startup || neverAnswered || !connectedBefore || !hostConnected.getAsBoolean()) {
      return false;
    }
    if (++p.unanswered < UNANSWERED_LIMIT) {
      return false;
    }
    p.killedFor = "unresponsive: " + p.unanswered + " health checks unanswered";
    p.kill();
    return true;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private void onHealth(SupervisedProvider p, boolean ok, boolean startup) {
    if (ok && !p.healthy) {
      p.healthy = true;
      p.healthySince = clock.millis();
      events.health(p, "health_check_passed");
      // Links put while the provider was still starting would otherwise be lost (wasmCloud bug).
      onHealthy.accept(p);
    } else if (!ok && p.healthy) {
      p.healthy = false;
      events.health(p, "health_check_failed");
    } else if (!startup) {
      // PROTOCOL.md §7.4: an unchanged state is reported too (unhealthy→unhealthy included),
      // but not the expected failures of the first seconds, which would flood the event stream.
      events.health(p, "health_check_status");
    }
  }
}
