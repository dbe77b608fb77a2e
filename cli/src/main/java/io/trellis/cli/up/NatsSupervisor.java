package io.trellis.cli.up;

import io.trellis.wasmbus.LatticeException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the nats-server that {@code trellis up} started running: when it dies it is started again
 * after a growing, capped delay ({@link RestartBackoff}), on the same config file, so with the same
 * port and the same JetStream store, and the lattice data and KV buckets survive. The host's NATS
 * connections reconnect by themselves. Every death and restart is logged (to the console, and to
 * host.log for a detached {@code up}).
 *
 * <p>{@link #close()} ends supervision before it stops the server, so {@code trellis down} (which
 * stops the host, whose shutdown closes this) never races with a restart. Restarts also stop as
 * soon as the JVM begins to shut down: Ctrl-C reaches nats-server too, and that death is not one to
 * repair.
 */
final class NatsSupervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NatsSupervisor.class);

  private final Path binary;
  private final NatsLauncher.Settings settings;
  private final TrellisHome home;
  private final RestartBackoff backoff;
  private final Duration startTimeout;
  private final ScheduledExecutorService scheduler;
  private final Thread shutdownHook;
  private final Object lock = new Object();
  private Process current;
  private long startedAt;
  private int failures;
  private boolean closed;
  private boolean shuttingDown;

  private NatsSupervisor(
      Path binary,
      NatsLauncher.Settings settings,
      TrellisHome home,
      RestartBackoff backoff,
      Duration startTimeout) {
    this.binary = binary;
    this.settings = settings;
    this.home = home;
    this.backoff = backoff;
    this.startTimeout = startTimeout;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "nats-supervisor");
              t.setDaemon(true);
              return t;
            });
    this.shutdownHook = new Thread(this::stopRestarting, "nats-supervisor-shutdown");
  }

  /** Supervises {@code running}, a server {@link NatsLauncher#start} started and found ready. */
  static NatsSupervisor supervise(
      Process running,
      Path binary,
      NatsLauncher.Settings settings,
      TrellisHome home,
      RestartBackoff backoff,
      Duration startTimeout) {
    NatsSupervisor s = new NatsSupervisor(binary, settings, home, backoff, startTimeout);
    Runtime.getRuntime().addShutdownHook(s.shutdownHook);
    synchronized (s.lock) {
      s.track(running);
    }
    return s;
  }

  private void track(Process p) {
    current = p;
    startedAt = System.nanoTime();
    p.onExit().thenRun(() -> onExit(p));
  }

  private void onExit(Process p) {
    synchronized (lock) {
      if (p != current) {
        return;
      }
    }
    failed("nats-server (pid " + p.pid() + ") " + describeExit(p.exitValue()));
  }

  /** Counts a death or a failed start and schedules the next start, or gives up. */
  private void failed(String what) {
    int attempt;
    Duration delay = null;
    synchronized (lock) {
      if (closed || shuttingDown) {
        return;
      }
      if (System.nanoTime() - startedAt >= backoff.stableAfter().toNanos()) {
        failures = 0;
      }
      failures++;
      attempt = failures;
      if (attempt <= backoff.maxAttempts()) {
        delay = backoff.delay(attempt);
        // under the lock: close() cannot shut the scheduler down between the check and this
        scheduler.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    if (delay == null) {
      LOG.error(
          "{}; giving up after {} restarts in a row. The lattice is unavailable until a NATS"
              + " server answers on nats://{}:{} again (the host keeps reconnecting); see {}, then"
              + " run 'trellis down' and 'trellis up'",
          what,
          backoff.maxAttempts(),
          settings.host(),
          settings.port(),
          home.natsLog());
      return;
    }
    LOG.warn(
        "{}; restarting it in {} (attempt {} of {}) on the same port and JetStream store; see {}",
        what,
        seconds(delay),
        attempt,
        backoff.maxAttempts(),
        home.natsLog());
  }

  private void restart() {
    Process p = null;
    String error = null;
    synchronized (lock) {
      if (closed || shuttingDown) {
        return;
      }
      // a failed spawn is a failed attempt, not a long healthy run of the previous server
      startedAt = System.nanoTime();
      try {
        p = NatsLauncher.spawn(binary, home);
        track(p);
      } catch (IOException e) {
        error = e.getMessage();
      }
    }
    if (p == null) {
      failed("nats-server " + binary + " could not be started (" + error + ")");
      return;
    }
    try {
      NatsLauncher.awaitReady(p, settings, home, startTimeout);
      LOG.info(
          "restarted nats-server (pid {}) on nats://{}:{}; the host reconnects by itself",
          p.pid(),
          settings.host(),
          settings.port());
    } catch (LatticeException e) {
      // awaitReady stopped it, so its exit handler counts the failure and schedules the next try.
      synchronized (lock) {
        if (closed || shuttingDown) {
          return;
        }
      }
      LOG.warn("restarting nats-server failed: {}", e.getMessage());
    }
  }

  private void stopRestarting() {
    synchronized (lock) {
      shuttingDown = true;
    }
  }

  /** Ends supervision, then stops the server and removes its pid file. Idempotent. */
  @Override
  public void close() {
    Process p;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      p = current;
    }
    scheduler.shutdownNow();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down; the hook has run or runs now and only disables restarts
    }
    if (p != null) {
      p.destroy();
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    PidFile.delete(home.natsPid());
  }

  /** Java reports a death by signal N as status 128 + N. */
  static String describeExit(int status) {
    if (status > 128 && status <= 128 + 64) {
      int signal = status - 128;
      return "was killed by signal " + signal + signalName(signal);
    }
    return "exited with status " + status;
  }

  private static String signalName(int signal) {
    return switch (signal) {
      case 1 -> " (SIGHUP)";
      case 2 -> " (SIGINT)";
      case 6 -> " (SIGABRT)";
      case 9 -> " (SIGKILL)";
      case 11 -> " (SIGSEGV)";
      case 15 -> " (SIGTERM)";
      default -> "";
    };
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
