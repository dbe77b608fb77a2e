package io.trellis.ctl;

import org.jspecify.annotations.Nullable;

/**
 * The NATS connection could not be opened, was closed or lost while a request was in flight, or a
 * request could not be sent (e.g. the object store refused an invocation payload over 900 KiB).
 */
public final class CtlConnectException extends CtlException {
  private static final long serialVersionUID = 1L;

  public CtlConnectException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
