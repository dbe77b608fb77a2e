package io.trellis.wasmbus.rpc;

import io.trellis.wasmbus.LatticeException;

/**
 * An inbound invocation that fails the checks of PROTOCOL.md §4.5. The message is what goes back to
 * the caller in {@code InvocationResponse.error}; it keeps the OTP host's wording where there is
 * one, followed by the specific values involved.
 */
public abstract sealed class InvocationRejectedException extends LatticeException
    permits MalformedInvocationException,
        AntiForgeryException,
        InvalidHostIdException,
        UnknownIssuerException,
        InvocationHashMismatchException,
        InvocationTargetMismatchException,
        InvocationOriginMismatchException,
        MissingCapabilityClaimException {
  private static final long serialVersionUID = 1L;

  protected InvocationRejectedException(String message) {
    super(message);
  }

  /** A short stable tag for metrics ("anti_forgery", "unknown_issuer", ...). */
  public String kind() {
    return switch (this) {
      case MalformedInvocationException e -> "malformed";
      case AntiForgeryException e -> "anti_forgery";
      case InvalidHostIdException e -> "invalid_host_id";
      case UnknownIssuerException e -> "unknown_issuer";
      case InvocationHashMismatchException e -> "hash_mismatch";
      case InvocationTargetMismatchException e -> "target_mismatch";
      case InvocationOriginMismatchException e -> "origin_mismatch";
      case MissingCapabilityClaimException e -> "missing_capability";
    };
  }
}
