package io.trellis.ctl;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A negative check ("nobody bids") gathered over the same window as a positive control. An empty
 * result alone cannot tell "nobody matched" from "the hosts were too slow to answer in time"; a
 * control that must be answered within the same window, at the same time, can.
 *
 * @param result what the check gathered
 * @param control what the control gathered
 */
record SameWindow<T>(T result, T control) {
  /** Runs {@code result} on this thread and {@code control} concurrently on another. */
  static <T> SameWindow<T> of(Supplier<T> result, Supplier<T> control) {
    CompletableFuture<T> c = CompletableFuture.supplyAsync(control);
    T r = result.get();
    return new SameWindow<>(r, c.join());
  }
}
