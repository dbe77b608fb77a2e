package io.trellis.host.policy;

import java.util.Locale;

/** How a decision came about, for the metrics (tag {@code outcome}). */
enum Outcome {
  /** The server (or a cached answer of it) permitted the action. */
  PERMITTED,
  /** The server (or a cached answer of it) denied the action. */
  DENIED,
  /** No reply within the policy timeout: denied, not cached. */
  TIMEOUT,
  /** Nothing listens on the policy topic: denied, not cached. */
  NO_RESPONDERS,
  /** The reply could not be read: denied, not cached. */
  BAD_REPLY,
  /** The request could not be sent or waited for (connection lost, interrupted): denied. */
  UNAVAILABLE,
  /** The invocation's source claims have expired: denied without asking. */
  EXPIRED;

  final String tag = name().toLowerCase(Locale.ROOT);
}
