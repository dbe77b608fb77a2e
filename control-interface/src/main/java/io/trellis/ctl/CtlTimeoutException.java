package io.trellis.ctl;

/**
 * Somebody is subscribed but no answer (or no expected event) arrived in time, e.g. {@code no reply
 * from host N… to inventory within 2000 ms}.
 */
public final class CtlTimeoutException extends CtlException {
  private static final long serialVersionUID = 1L;

  public CtlTimeoutException(String message) {
    super(message);
  }
}
