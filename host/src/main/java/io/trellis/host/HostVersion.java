package io.trellis.host;

/** What this host reports as its version: the wasmCloud protocol version it speaks, plus ours. */
public final class HostVersion {
  /** The OTP host version whose wire protocol Trellis implements. */
  public static final String PROTOCOL = "0.63.2";

  public static final String TRELLIS = "0.1.0";

  /** Semver with build metadata, so tools comparing versions see 0.63.2. */
  public static final String REPORTED = PROTOCOL + "+trellis." + TRELLIS;

  private HostVersion() {}
}
