package io.trellis.testkit;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Bounded readiness polling. Between checks it waits on the watched processes' exit futures rather
 * than sleeping, so a server that dies during startup is reported at once instead of after the
 * timeout.
 */
final class Poll {
  private static final long INTERVAL_MILLIS = 20;

  private Poll() {}

  /**
   * Waits until {@code check} returns null (= ready) or the timeout passes.
   *
   * @param check returns null when ready, otherwise a description of what is still pending
   * @param servers servers whose death aborts the wait
   * @throws NatsServerException on timeout or when a watched server exits, with pending state and
   *     the log tail of the server concerned
   */
  static void until(
      String what,
      Duration timeout,
      Collection<NatsServer> servers,
      Supplier<@Nullable String> check) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String pending = check.get();
    while (pending != null) {
      for (NatsServer s : servers) {
        if (!s.isRunning()) {
          throw new NatsServerException(
              what
                  + ": server "
                  + s.name()
                  + " exited (pending: "
                  + pending
                  + ")\n--- "
                  + s.logFile()
                  + " (tail) ---\n"
                  + s.logTail(40),
              s.logFile());
        }
      }
      if (System.nanoTime() > deadline) {
        StringBuilder logs = new StringBuilder();
        for (NatsServer s : servers) {
          logs.append("\n--- ")
              .append(s.name())
              .append(": ")
              .append(s.logFile())
              .append(" (tail) ---\n")
              .append(s.logTail(15));
        }
        throw new NatsServerException(
            what + ": not ready after " + timeout.toMillis() + " ms; pending: " + pending + logs,
            servers.size() == 1 ? servers.iterator().next().logFile() : null);
      }
      waitForAnyExit(servers);
      pending = check.get();
    }
  }

  private static void waitForAnyExit(Collection<NatsServer> servers) {
    CompletableFuture<?>[] exits =
        servers.stream().map(NatsServer::onExit).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.anyOf(exits).get(INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // still running: poll again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NatsServerException("interrupted while waiting for nats-server readiness", e);
    }
  }
}
