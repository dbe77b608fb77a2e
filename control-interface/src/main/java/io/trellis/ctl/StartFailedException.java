package io.trellis.ctl;

/**
 * A start command was accepted but the host reported failure through an event ({@code
 * actor_start_failed}, {@code actors_start_failed} or {@code provider_start_failed}).
 */
public final class StartFailedException extends CtlException {
  private static final long serialVersionUID = 1L;

  private final String hostId;
  private final String ref;
  private final String error;
  private final LatticeEventMessage event;

  public StartFailedException(String hostId, String ref, String error, LatticeEventMessage event) {
    super("starting " + ref + " on host " + hostId + " failed: " + error);
    this.hostId = hostId;
    this.ref = ref;
    this.error = error;
    this.event = event;
  }

  public String hostId() {
    return hostId;
  }

  public String ref() {
    return ref;
  }

  /** The host's error text from the event. */
  public String error() {
    return error;
  }

  public LatticeEventMessage event() {
    return event;
  }
}
