package io.trellis.lattice;

import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;

/**
 * One entry of the bucket as the watch delivered it: key, revision (= stream sequence) and either a
 * value or a deletion. {@code DEL} and {@code PURGE} markers are both deletions (PROTOCOL.md
 * §9.2/§9.3: OTP hosts purge, wash deletes).
 */
record KvRecord(String key, long revision, boolean deleted, byte[] value) {

  static KvRecord of(KeyValueEntry e) {
    boolean deleted =
        e.getOperation() == KeyValueOperation.DELETE || e.getOperation() == KeyValueOperation.PURGE;
    byte[] v = e.getValue();
    return new KvRecord(e.getKey(), e.getRevision(), deleted, v == null ? new byte[0] : v);
  }

  static KvRecord put(String key, long revision, byte[] value) {
    return new KvRecord(key, revision, false, value);
  }

  static KvRecord deletion(String key, long revision) {
    return new KvRecord(key, revision, true, new byte[0]);
  }

  @Override
  public String toString() {
    return key + "@" + revision + (deleted ? " (deleted)" : " (" + value.length + " bytes)");
  }
}
