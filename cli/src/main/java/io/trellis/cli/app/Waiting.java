package io.trellis.cli.app;

import io.trellis.apps.AppStatus;
import io.trellis.apps.StatusType;
import io.trellis.apps.api.AppsApiException;
import io.trellis.apps.api.AppsClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** {@code deploy --wait}: polls the status until the version is deployed or failed. */
final class Waiting {
  private static final Duration POLL = Duration.ofMillis(250);

  private Waiting() {}

  /**
   * @param version the deployed version, or null for whatever is deployed
   * @param progress where each new status line is printed while waiting (null: quiet)
   * @return the last status seen: deployed, failed, or (timed out) anything
   */
  static AppStatus untilSettled(
      AppsClient apps,
      String name,
      @Nullable String version,
      Duration timeout,
      @Nullable PrintWriter progress)
      throws InterruptedException {
    Instant end = Instant.now().plus(timeout);
    String shown = "";
    AppStatus s = poll(apps, name, end);
    while (true) {
      boolean ours = version == null || version.equals(s.version());
      if (ours
          && (s.info().type() == StatusType.DEPLOYED || s.info().type() == StatusType.FAILED)) {
        return s;
      }
      String line = StatusPrinter.line(s.info());
      if (progress != null && !line.equals(shown)) {
        progress.println("  … " + line);
        progress.flush();
        shown = line;
      }
      if (!Instant.now().isBefore(end)) {
        return s;
      }
      Thread.sleep(POLL.toMillis());
      s = poll(apps, name, end);
    }
  }

  /** One status request; a slow or lost answer is retried until the wait is over. */
  private static AppStatus poll(AppsClient apps, String name, Instant end)
      throws InterruptedException {
    while (true) {
      try {
        return apps.status(name);
      } catch (AppsApiException e) {
        if (e.notFound() || !Instant.now().isBefore(end)) {
          throw e;
        }
        Thread.sleep(POLL.toMillis());
      }
    }
  }
}
