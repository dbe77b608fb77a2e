package io.trellis.apps.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Platform threads for the API's requests and the reconciler's control-interface calls. Not virtual
 * threads: a host in the same process compiles actor modules on virtual threads, which can hold
 * every carrier thread of a small machine for seconds, and the API must answer meanwhile.
 */
public final class Workers {
  private Workers() {}

  /** Up to {@code max} daemon threads named {@code name-N}, idle ones ending after 30 s. */
  public static ExecutorService pool(String name, int max) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor e =
        new ThreadPoolExecutor(
            max,
            max,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, name + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    e.allowCoreThreadTimeOut(true);
    return e;
  }
}
