package io.trellis.cli.ctl;

import io.trellis.ctl.CtlClient;
import io.trellis.ctl.EventSubscription;
import io.trellis.ctl.LatticeEventMessage;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code trellis ctl watch}: streams lattice events, one readable line each ({@code -o json}: the
 * raw CloudEvents, one per line). Runs until Ctrl-C unless bounded by count or duration.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, description = "Stream lattice events.")
final class WatchCommand implements Callable<Integer> {
  @Mixin CtlOptions ctl;

  @Option(
      names = {"-t", "--type"},
      paramLabel = "TYPE",
      split = ",",
      description = "only these event types, e.g. actor_started,host_heartbeat; repeatable")
  @Nullable List<String> types;

  @Option(names = "--source", paramLabel = "HOST_ID", description = "only events from this host")
  @Nullable String source;

  @Option(names = "--max-events", paramLabel = "N", description = "stop after N events")
  @Nullable Integer maxEvents;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      description = "stop after this long, e.g. 500ms, 10s, 5m")
  @Nullable String duration;

  @Override
  public Integer call() {
    Set<String> wanted = new HashSet<>();
    if (types != null) {
      types.forEach(
          t ->
              wanted.add(
                  t.strip()
                      .replaceFirst("^" + Pattern.quote(LatticeEventMessage.TYPE_PREFIX), "")));
    }
    if (maxEvents != null && maxEvents < 1) {
      throw new ParameterException(
          ctl.commandLine(), "--max-events must be at least 1, got " + maxEvents);
    }
    // unbounded: a deadline centuries away (System.nanoTime() arithmetic must not overflow)
    long deadline =
        System.nanoTime()
            + (duration == null ? Long.MAX_VALUE / 4 : parseDuration(duration).toNanos());
    BlockingQueue<LatticeEventMessage> queue = new LinkedBlockingQueue<>();
    try (CtlClient c = ctl.connect()) {
      EventSubscription subscription =
          c.events(
              e -> {
                if ((wanted.isEmpty() || wanted.contains(e.type()))
                    && (source == null || source.equals(e.source()))) {
                  queue.add(e);
                }
              });
      try {
        ctl.err()
            .println(
                "Watching events of lattice '"
                    + c.latticePrefix()
                    + "'"
                    + (wanted.isEmpty() ? "" : " of type " + String.join(", ", wanted))
                    + " (Ctrl-C to stop)");
        ctl.err().flush();
        print(queue, deadline);
        return 0;
      } finally {
        subscription.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  /** Prints events from the queue until the count or the deadline is reached. */
  private void print(BlockingQueue<LatticeEventMessage> queue, long deadline)
      throws InterruptedException {
    int printed = 0;
    while (maxEvents == null || printed < maxEvents) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      LatticeEventMessage e =
          queue.poll(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
      if (e == null) {
        continue;
      }
      ctl.out().println(ctl.json() ? e.cloudEvent().toString() : EventFormatter.line(e));
      ctl.out().flush();
      printed++;
    }
  }

  /** "500ms", "10s", "5m", "1h"; a bare number is seconds. */
  private Duration parseDuration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      } else if (t.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      } else if (t.endsWith("h")) {
        d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
      } else {
        d = Duration.ofSeconds(Long.parseLong(t));
      }
      if (d.isNegative() || d.isZero()) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new ParameterException(
          ctl.commandLine(),
          "--duration '" + text + "' is not a positive duration: use e.g. 500ms, 10s, 5m or 1h");
    }
  }
}
