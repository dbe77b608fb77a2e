package io.trellis.testkit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Last line of defence against leaked servers: one JVM shutdown hook kills every process that was
 * started and not yet stopped (and its descendants), so an aborted test run, a failing
 * {@code @BeforeAll} or a forgotten {@code close()} never leaves a nats-server holding ports.
 */
final class ProcessReaper {
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::killAll, "testkit-reaper"));
  }

  private ProcessReaper() {}

  static void register(Process p) {
    LIVE.add(p);
  }

  static void unregister(Process p) {
    LIVE.remove(p);
  }

  static void destroyTree(Process p, boolean forcibly) {
    p.descendants()
        .forEach(
            h -> {
              if (forcibly) {
                h.destroyForcibly();
              } else {
                h.destroy();
              }
            });
    if (forcibly) {
      p.destroyForcibly();
    } else {
      p.destroy();
    }
  }

  private static void killAll() {
    for (Process p : LIVE) {
      destroyTree(p, true);
    }
  }
}
