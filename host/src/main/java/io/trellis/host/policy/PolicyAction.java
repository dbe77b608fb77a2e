package io.trellis.host.policy;

/** What the host asks permission for (PROTOCOL.md §10.4), with OTP's wire names. */
public enum PolicyAction {
  START_ACTOR("start_actor"),
  START_PROVIDER("start_provider"),
  PERFORM_INVOCATION("perform_invocation");

  private final String wireName;

  PolicyAction(String wireName) {
    this.wireName = wireName;
  }

  /** The {@code action} field of a policy request, also the metrics tag. */
  public String wireName() {
    return wireName;
  }
}
