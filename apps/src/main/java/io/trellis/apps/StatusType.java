package io.trellis.apps;

import java.util.Locale;

/**
 * wadm 0.10's status types (PROTOCOL.md §15.3), lowercase on the wire. The 0.9 names {@code
 * compensating} and {@code ready} are read as {@link #RECONCILING} and {@link #DEPLOYED}.
 */
public enum StatusType {
  UNDEPLOYED,
  RECONCILING,
  DEPLOYED,
  FAILED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads a wire name (0.9 aliases included); anything unknown is {@link #UNDEPLOYED}. */
  public static StatusType fromWire(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "reconciling", "compensating" -> RECONCILING;
      case "deployed", "ready" -> DEPLOYED;
      case "failed" -> FAILED;
      default -> UNDEPLOYED;
    };
  }

  /**
   * wadm's aggregation: any failed makes failed, else any undeployed makes undeployed, else any
   * reconciling makes reconciling, else deployed.
   */
  public StatusType and(StatusType other) {
    if (this == FAILED || other == FAILED) {
      return FAILED;
    }
    if (this == UNDEPLOYED || other == UNDEPLOYED) {
      return UNDEPLOYED;
    }
    if (this == RECONCILING || other == RECONCILING) {
      return RECONCILING;
    }
    return DEPLOYED;
  }
}
