package io.trellis.ctl;

import org.jspecify.annotations.Nullable;

/** The NATS connection could not be opened, or was closed while a request was in flight. */
public final class CtlConnectException extends CtlException {
  private static final long serialVersionUID = 1L;

  public CtlConnectException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
