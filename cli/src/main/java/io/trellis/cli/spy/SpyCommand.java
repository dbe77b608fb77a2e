package io.trellis.cli.spy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.trellis.cli.ctl.CtlOptions;
import io.trellis.ctl.CtlClient;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.subjects.Subjects;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code trellis spy ACTOR}: every invocation to and from an actor, live, through the hosts' tap
 * (PROTOCOL.md §16.3): requests and replies, chunked bodies included, with latency. Holds a lease
 * that it renews while it runs; when it stops (or dies) the hosts stop copying within the lease.
 */
@Command(
    name = "spy",
    mixinStandardHelpOptions = true,
    description = "Watch an actor's invocations live (needs ctl rights).")
public final class SpyCommand implements Callable<Integer> {
  /** Lease asked for; renewed every third of it. */
  static final Duration LEASE = Duration.ofSeconds(10);

  @Mixin CtlOptions ctl;

  @Parameters(index = "0", paramLabel = "ACTOR", description = "actor public key (M...) or name")
  String actor;

  @Option(
      names = "--max-bytes",
      paramLabel = "N",
      defaultValue = "4096",
      description = "bodies longer than this are cut (default ${DEFAULT-VALUE})")
  int maxBytes;

  @Option(names = "--max-events", paramLabel = "N", description = "stop after N invocations")
  @Nullable Integer maxEvents;

  @Option(names = "--duration-ms", paramLabel = "MS", description = "stop after this long")
  @Nullable Long durationMs;

  @Override
  public Integer call() throws InterruptedException {
    if (maxBytes < 0) {
      throw new ParameterException(ctl.commandLine(), "--max-bytes must be >= 0, got " + maxBytes);
    }
    long deadline =
        System.nanoTime()
            + (durationMs == null
                ? Long.MAX_VALUE / 4
                : TimeUnit.MILLISECONDS.toNanos(
                    ctl.positive(durationMs, "--duration-ms").toMillis()));
    try (CtlClient c = ctl.connect()) {
      Map<String, String> names = new HashMap<>();
      for (ClaimsRecord r : c.claims()) {
        names.put(r.subject(), r.name());
      }
      String key = resolve(actor, names, c.latticePrefix());
      Connection conn = c.connection();
      BlockingQueue<Message> queue = new LinkedBlockingQueue<>();
      Dispatcher d = conn.createDispatcher(queue::add);
      d.subscribe(Subjects.tapEvents(c.latticePrefix(), key));
      try {
        int hosts = lease(conn, c.latticePrefix(), key, c.timeout());
        if (hosts == 0) {
          throw new SpyException(
              "no host in lattice '"
                  + c.latticePrefix()
                  + "' runs actor "
                  + describe(key, names)
                  + " (start it first, e.g. trellis ctl start actor ...)");
        }
        ctl.err()
            .println(
                "Spying on actor "
                    + describe(key, names)
                    + " on "
                    + hosts
                    + (hosts == 1 ? " host" : " hosts")
                    + " (Ctrl-C to stop)");
        ctl.err().flush();
        print(conn, c, key, names, queue, deadline);
        return 0;
      } finally {
        conn.closeDispatcher(d);
      }
    }
  }

  private void print(
      Connection conn,
      CtlClient c,
      String key,
      Map<String, String> names,
      BlockingQueue<Message> queue,
      long deadline)
      throws InterruptedException {
    int printed = 0;
    long renewAt = System.nanoTime() + LEASE.toNanos() / 3;
    while (maxEvents == null || printed < maxEvents) {
      long now = System.nanoTime();
      if (deadline - now <= 0) {
        return;
      }
      if (now - renewAt >= 0) {
        if (lease(conn, c.latticePrefix(), key, c.timeout()) == 0) {
          ctl.err().println("no host runs actor " + describe(key, names) + " any more; waiting");
          ctl.err().flush();
        }
        renewAt = System.nanoTime() + LEASE.toNanos() / 3;
      }
      long wait = Math.min(Math.min(deadline, renewAt) - System.nanoTime(), 1_000_000_000L);
      Message m = queue.poll(Math.max(wait, 1), TimeUnit.NANOSECONDS);
      if (m == null) {
        continue;
      }
      JsonNode e;
      try {
        e = Json.MAPPER.readTree(m.getData());
      } catch (IOException ex) {
        continue;
      }
      ctl.out().println(ctl.json() ? e.toString() : TapLine.format(e, names));
      ctl.out().flush();
      printed++;
    }
  }

  /** Asks the hosts for a lease; returns how many answered (hosts running the actor). */
  private int lease(Connection conn, String lattice, String key, Duration timeout)
      throws InterruptedException {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("max_bytes", maxBytes);
    body.put("lease_ms", LEASE.toMillis());
    String inbox = conn.createInbox();
    Subscription sub = conn.subscribe(inbox);
    try {
      conn.publish(Subjects.tapLease(lattice, key), inbox, Json.bytes(body));
      int answers = 0;
      // every host running the actor answers at once; wait a bounded while for stragglers
      long end = System.nanoTime() + Math.min(timeout.toNanos(), Duration.ofSeconds(1).toNanos());
      while (true) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return answers;
        }
        Message m = sub.nextMessage(Duration.ofNanos(left));
        if (m == null) {
          return answers;
        }
        answers++;
      }
    } finally {
      sub.unsubscribe();
    }
  }

  /** A key, or the one actor with that name in the lattice's claims. */
  static String resolve(String actor, Map<String, String> names, String lattice) {
    if (KeyPair.isValidPublicKey(actor, KeyType.MODULE)) {
      return actor;
    }
    List<String> keys =
        names.entrySet().stream()
            .filter(e -> e.getKey().startsWith("M") && e.getValue().equals(actor))
            .map(Map.Entry::getKey)
            .sorted()
            .toList();
    if (keys.isEmpty()) {
      throw new SpyException(
          "unknown actor '"
              + actor
              + "': no actor with that key or name in the claims of lattice '"
              + lattice
              + "'");
    }
    if (keys.size() > 1) {
      throw new SpyException(
          "actor name '" + actor + "' is ambiguous in lattice '" + lattice + "': " + keys);
    }
    return keys.getFirst();
  }

  private static String describe(String key, Map<String, String> names) {
    String name = names.get(key);
    return name == null ? key : name + " (" + key + ")";
  }
}
