package io.trellis.ctl;

/**
 * A host refused a request ({@code accepted: false}). Thrown only by methods that return a result
 * (queries, start-and-wait); methods that return an {@link io.trellis.wasmbus.ctl.Ack} hand the
 * refusal back as the ack instead. {@link CtlClient#require} converts one into the other.
 */
public final class CtlRejectedException extends CtlException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public CtlRejectedException(String message, String reason) {
    super(message);
    this.reason = reason;
  }

  /** The host's error text, unchanged. */
  public String reason() {
    return reason;
  }
}
