package io.trellis.ctl;

/**
 * NATS answered "503 no responders": nobody subscribes to the subject, so no host of that id (or no
 * host at all) is in the lattice. Reported at once instead of after a timeout.
 */
public final class NoRespondersException extends CtlException {
  private static final long serialVersionUID = 1L;

  private final String subject;

  public NoRespondersException(String message, String subject) {
    super(message);
    this.subject = subject;
  }

  /** The subject nobody listens on. */
  public String subject() {
    return subject;
  }
}
