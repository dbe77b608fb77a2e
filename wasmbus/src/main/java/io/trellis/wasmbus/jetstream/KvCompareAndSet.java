package io.trellis.wasmbus.jetstream;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueOptions;
import io.nats.client.PublishOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Compare-and-set writes on one JetStream key-value bucket that stay exact on a replicated bucket
 * (PROTOCOL.md §5.3.1).
 *
 * <p>Why this exists: nats-server 2.9 (the Debian package) checks a replicated stream's per-subject
 * expectation ({@code Nats-Expected-Last-Subject-Sequence}, which {@link KeyValue#update} and
 * {@link KeyValue#create} send) against what the stream leader has applied, not counting proposals
 * still in flight. Two writers that read the same revision and write at the same moment can then
 * both succeed: on an R3 bucket with writers on three servers about half of all acknowledged
 * counter increments were lost. The stream-wide expectation ({@code Nats-Expected-Last-Sequence})
 * is checked against the leader's proposal sequence, in-flight proposals included, so it is exact.
 *
 * <p>So on a replicated bucket every write carries both: the key's expected revision and the
 * stream's last sequence {@code L} as this writer knows it (from its own last acknowledgement, or
 * from stream info after a conflict). The stream-wide check passing means no write after {@code L}
 * exists or is in flight; the leader has applied everything up to {@code L} (it reported or
 * acknowledged it), so its per-subject check sees the key's true last revision. The price is that
 * writers of different keys of one bucket conflict with each other and retry; writes through one
 * instance are serialized so they never conflict among themselves. A bucket with one replica, or a
 * mirror, keeps the plain {@link KeyValue} calls.
 */
public final class KvCompareAndSet {
  /** JetStream "wrong last sequence", for either expectation. */
  public static final int WRONG_LAST_SEQUENCE = 10071;

  static final int NO_MESSAGE_FOUND = 10037;
  static final String OPERATION_HEADER = "KV-Operation";

  /** Conflicts on the stream-wide check alone that one call absorbs before giving up. */
  private static final int STREAM_RETRIES = 8;

  private final KeyValue kv;
  private final @Nullable Guard guard;

  private KvCompareAndSet(KeyValue kv, @Nullable Guard guard) {
    this.kv = kv;
    this.guard = guard;
  }

  /**
   * Binds to {@code bucket} (which must exist) with the same options as {@code kv}.
   *
   * @param options the options {@code kv} was bound with (JetStream domain or prefix), or null
   */
  public static KvCompareAndSet bind(Connection nc, KeyValue kv, @Nullable KeyValueOptions options)
      throws IOException, JetStreamApiException {
    String stream = "KV_" + kv.getBucketName();
    JetStreamManagement jsm =
        options == null
            ? nc.jetStreamManagement()
            : nc.jetStreamManagement(options.getJetStreamOptions());
    StreamInfo info = jsm.getStreamInfo(stream);
    if (info.getConfiguration().getReplicas() <= 1 || info.getConfiguration().getMirror() != null) {
      return new KvCompareAndSet(kv, null);
    }
    boolean defaultPrefix = options == null || options.getJetStreamOptions().isDefaultPrefix();
    String prefix =
        (defaultPrefix ? "" : options.getJetStreamOptions().getPrefix())
            + "$KV."
            + kv.getBucketName()
            + ".";
    JetStream js = options == null ? nc.jetStream() : nc.jetStream(options.getJetStreamOptions());
    Guard g = new Guard(js, jsm, stream, prefix);
    g.lastSequence = info.getStreamState().getLastSequence();
    return new KvCompareAndSet(kv, g);
  }

  /** True when writes carry the stream-wide expectation (the bucket is replicated). */
  public boolean guarded() {
    return guard != null;
  }

  public KeyValue keyValue() {
    return kv;
  }

  /**
   * Writes {@code value} only when the key's last entry has revision {@code expectedRevision}
   * (which may be a delete marker's).
   *
   * @return the new revision
   * @throws JetStreamApiException with {@link #WRONG_LAST_SEQUENCE} when the key changed
   */
  public long update(String key, byte[] value, long expectedRevision)
      throws IOException, JetStreamApiException {
    if (guard == null) {
      return kv.update(key, value, expectedRevision);
    }
    return guard.write(key, value, null, expectedRevision, false);
  }

  /**
   * Writes {@code value} only when the key holds no value (never written, deleted or purged), like
   * {@link KeyValue#create}.
   *
   * @return the new revision
   * @throws JetStreamApiException with {@link #WRONG_LAST_SEQUENCE} when the key holds a value
   */
  public long create(String key, byte[] value) throws IOException, JetStreamApiException {
    if (guard == null) {
      return kv.create(key, value);
    }
    return guard.write(key, value, null, 0, true);
  }

  /**
   * Deletes the key (writes a delete marker) only when its last revision is {@code
   * expectedRevision}.
   */
  public void delete(String key, long expectedRevision) throws IOException, JetStreamApiException {
    if (guard == null) {
      kv.delete(key, expectedRevision);
      return;
    }
    Headers h = new Headers().put(OPERATION_HEADER, "DEL");
    guard.write(key, new byte[0], h, expectedRevision, false);
  }

  /** The replicated-bucket path: both expectations, serialized per instance. */
  private static final class Guard {
    private final JetStream js;
    private final JetStreamManagement jsm;
    private final String stream;
    private final String subjectPrefix;
    private final ReentrantLock lock = new ReentrantLock();

    /** The stream's last sequence as far as this writer knows; 0 = unknown, ask the stream. */
    private long lastSequence;

    Guard(JetStream js, JetStreamManagement jsm, String stream, String subjectPrefix) {
      this.js = js;
      this.jsm = jsm;
      this.stream = stream;
      this.subjectPrefix = subjectPrefix;
    }

    long write(String key, byte[] value, @Nullable Headers headers, long expected, boolean create)
        throws IOException, JetStreamApiException {
      String subject = subjectPrefix + key;
      lock.lock();
      try {
        for (int attempt = 1; ; attempt++) {
          if (lastSequence == 0) {
            lastSequence = jsm.getStreamInfo(stream).getStreamState().getLastSequence();
          }
          PublishOptions po =
              PublishOptions.builder()
                  .expectedLastSequence(lastSequence)
                  .expectedLastSubjectSequence(expected)
                  .build();
          try {
            PublishAck ack = js.publish(subject, headers, value, po);
            lastSequence = ack.getSeqno();
            return ack.getSeqno();
          } catch (JetStreamApiException e) {
            lastSequence = 0;
            if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE || attempt >= STREAM_RETRIES) {
              throw e;
            }
            // which expectation failed? Only the key's own state tells (the error does not)
            long actual = lastRevision(subject, create);
            if (create && actual >= 0) {
              expected = actual; // the key holds only a delete or purge marker: write over it
            } else if (actual != expected) {
              throw e; // the key itself changed: the caller must read it again
            }
          } catch (IOException | RuntimeException e) {
            lastSequence = 0; // the write may or may not have happened
            throw e;
          }
        }
      } finally {
        lock.unlock();
      }
    }

    /**
     * The key's last revision (0 when it has none). With {@code markerOnly}: that revision when the
     * last entry is a delete or purge marker (or 0 when there is none), -1 when it is a value.
     */
    private long lastRevision(String subject, boolean markerOnly)
        throws IOException, JetStreamApiException {
      MessageInfo m;
      try {
        m = jsm.getLastMessage(stream, subject);
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() == NO_MESSAGE_FOUND) {
          return 0;
        }
        throw e;
      }
      if (!markerOnly) {
        return m.getSeq();
      }
      Headers h = m.getHeaders();
      String op = h == null ? null : h.getFirst(OPERATION_HEADER);
      return op == null ? -1 : m.getSeq();
    }
  }
}
