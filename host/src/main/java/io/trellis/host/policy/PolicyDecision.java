package io.trellis.host.policy;

/**
 * A policy verdict.
 *
 * @param permitted whether the action may go ahead
 * @param requestId the request it answers ("" when none was sent, e.g. policy is off)
 * @param message the server's explanation, or the host's when no usable answer came
 */
public record PolicyDecision(boolean permitted, String requestId, String message) {
  static final PolicyDecision DISABLED =
      new PolicyDecision(true, "", "Policy evaluation disabled, allowing action");

  static PolicyDecision deny(String requestId, String message) {
    return new PolicyDecision(false, requestId, message);
  }
}
