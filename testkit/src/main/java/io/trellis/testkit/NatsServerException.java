package io.trellis.testkit;

import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A test server or topology could not be started, reached or stopped. The message names the server
 * and, for startup failures, carries the tail of its log so the cause shows up in the test report
 * without digging through temp directories; {@link #logFile()} points at the full log (its
 * directory is kept when a start fails).
 */
public final class NatsServerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient @Nullable Path logFile;

  public NatsServerException(String message) {
    this(message, (Path) null);
  }

  public NatsServerException(String message, Throwable cause) {
    super(message, cause);
    this.logFile = null;
  }

  public NatsServerException(String message, @Nullable Path logFile) {
    super(message);
    this.logFile = logFile;
  }

  /** The log of the server concerned, when the failure is about one server. */
  public Optional<Path> logFile() {
    return Optional.ofNullable(logFile);
  }
}
