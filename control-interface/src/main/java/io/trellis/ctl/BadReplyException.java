package io.trellis.ctl;

/**
 * A reply that is not the JSON shape the protocol defines (PROTOCOL.md §8.2); names who sent what.
 */
public final class BadReplyException extends CtlException {
  private static final long serialVersionUID = 1L;

  public BadReplyException(String message, Throwable cause) {
    super(message, cause);
  }
}
