package io.trellis.host.runtime;

/**
 * What the host hands back to the guest: a payload, or an error text it reads with __host_error.
 */
public sealed interface HostCallResult {
  record Ok(byte[] payload) implements HostCallResult {}

  record Err(String message) implements HostCallResult {}

  static HostCallResult ok(byte[] payload) {
    return new Ok(payload);
  }

  static HostCallResult err(String message) {
    return new Err(message);
  }
}
