package io.trellis.lattice;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import java.io.IOException;

/**
 * Writes to the bucket and turns every way a write can fail into a {@link
 * LatticeStoreUnavailableException} naming the key, the bucket (and domain) and the cause.
 *
 * <p>The connection status is checked first: while jnats is reconnecting it would buffer the
 * publish and the caller would only learn after the request timeout whether it was sent, so a
 * disconnected write fails at once instead.
 */
final class StoreWriter {
  private final Connection nc;
  private final KeyValue kv;
  private final String where;
  private final StoreHealth health;

  StoreWriter(Connection nc, KeyValue kv, String where, StoreHealth health) {
    this.nc = nc;
    this.kv = kv;
    this.where = where;
    this.health = health;
  }

  /** Puts the value; returns its revision (the stream sequence). */
  long put(String key, byte[] value) {
    checkConnected("write " + key);
    try {
      long rev = kv.put(key, value);
      health.ok();
      return rev;
    } catch (IOException | JetStreamApiException | IllegalStateException e) {
      throw failure("write " + key, e);
    }
  }

  /**
   * Purges the key (PROTOCOL.md §6.3: the OTP host purges deleted links; {@code KV-Operation:
   * PURGE}).
   */
  void purge(String key) {
    checkConnected("purge " + key);
    try {
      kv.purge(key);
      health.ok();
    } catch (IOException | JetStreamApiException | IllegalStateException e) {
      throw failure("purge " + key, e);
    }
  }

  void checkConnected(String action) {
    requireConnected(nc, action, where, health);
  }

  static void requireConnected(Connection nc, String action, String where, StoreHealth health) {
    Connection.Status s = nc.getStatus();
    if (s != Connection.Status.CONNECTED) {
      String reason = "NATS connection is " + s;
      health.failed(reason);
      throw new LatticeStoreUnavailableException(
          "cannot " + action + " in " + where + ": " + reason);
    }
  }

  private LatticeStoreUnavailableException failure(String action, Exception e) {
    String reason = describe(e);
    health.failed(reason);
    return new LatticeStoreUnavailableException(
        "cannot " + action + " in " + where + ": " + reason, e);
  }

  static String describe(Exception e) {
    if (e instanceof JetStreamApiException api) {
      return "JetStream refused the request: " + api.getMessage();
    }
    if (e instanceof IOException) {
      return "JetStream did not answer (" + e.getMessage() + ")";
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
