package io.trellis.provider.sdk;

import java.time.Duration;

/** A started provider. {@link #close()} shuts it down as a host shutdown request would. */
public interface RunningProvider extends AutoCloseable {
  boolean isRunning();

  /** Blocks until the provider has shut down (by request or {@link #close()}). */
  void awaitShutdown();

  /** Waits at most {@code timeout}; true when the provider has shut down. */
  boolean awaitShutdown(Duration timeout);

  @Override
  void close();
}
