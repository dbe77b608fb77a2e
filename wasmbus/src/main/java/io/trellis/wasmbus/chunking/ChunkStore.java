package io.trellis.wasmbus.chunking;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.ObjectStore;
import io.nats.client.ObjectStoreOptions;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.StorageType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Payloads too large for one NATS message travel through the JetStream object store (PROTOCOL.md
 * §4.7): bucket = the lattice prefix, object = the invocation id (or id + "-r" for a response). The
 * receiver fetches, checks the length (jnats checks the digest) and deletes the object.
 *
 * <p>This class moves named objects only; what goes where for an invocation (offload, release,
 * chunked answers) is the {@code rpc} package's: {@code InvocationClient} on the sending side,
 * {@code InvocationResponse#success(String, byte[], ChunkStore)} on the answering side.
 */
public final class ChunkStore {
  /** Bodies over 900 KiB are chunked (PROTOCOL.md §13 item 5). */
  public static final int THRESHOLD = 900 * 1024;

  /**
   * The largest chunked body we accept: far above anything an actor's linear memory can hold, and
   * it keeps an announced length from making us allocate arbitrary amounts of heap.
   */
  public static final long MAX_CHUNKED_BYTES = 256L * 1024 * 1024;

  /** Objects left behind by a crashed sender or receiver expire on their own. */
  public static final Duration OBJECT_TTL = Duration.ofMinutes(30);

  private static final int MAX_PRESIZE = 1024 * 1024;

  /**
   * Added to the request timeout of a chunked call for the object store round trips on both sides,
   * as wasmbus-rpc does (with the default 2 s timeout this is OTP's 15 s for chunked calls).
   */
  public static final Duration CHUNKED_EXTRA = Duration.ofSeconds(13);

  private final Connection connection;
  private final String bucket;
  private final @Nullable String jsDomain;
  private volatile @Nullable ObjectStore store;

  public ChunkStore(Connection connection, String latticePrefix, @Nullable String jsDomain) {
    this.connection = connection;
    this.bucket = latticePrefix;
    this.jsDomain = jsDomain == null || jsDomain.isBlank() ? null : jsDomain;
  }

  public static boolean needsChunking(int length) {
    return length > THRESHOLD;
  }

  public static String responseName(String invocationId) {
    return invocationId + "-r";
  }

  public String bucket() {
    return bucket;
  }

  public void put(String name, byte[] data) {
    try {
      store().put(name, data);
    } catch (IOException | JetStreamApiException | NoSuchAlgorithmException e) {
      throw new ChunkingException(
          "could not store "
              + data.length
              + " bytes as object '"
              + name
              + "' in object store '"
              + bucket
              + "': "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Reads an object fully, checks it has {@code expectedLength} bytes, and deletes it.
   *
   * @throws ChunkingException naming the object when it is missing, corrupt or the wrong size
   */
  public byte[] take(String name, long expectedLength) {
    checkLength(name, expectedLength);
    ByteArrayOutputStream out =
        new ByteArrayOutputStream((int) Math.min(expectedLength, MAX_PRESIZE));
    try {
      store().get(name, out);
    } catch (IOException
        | JetStreamApiException
        | NoSuchAlgorithmException
        | IllegalArgumentException e) {
      throw new ChunkingException(
          "could not fetch object '"
              + name
              + "' from object store '"
              + bucket
              + "': "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChunkingException("interrupted while fetching object '" + name + "'", e);
    }
    delete(name);
    if (out.size() != expectedLength) {
      throw new ChunkingException(
          "object '"
              + name
              + "' in object store '"
              + bucket
              + "' has "
              + out.size()
              + " bytes but the message announced "
              + expectedLength);
    }
    return out.toByteArray();
  }

  /**
   * Rejects an announced length that is negative or over {@link #MAX_CHUNKED_BYTES} before any
   * fetch or allocation happens.
   */
  public static void checkLength(String name, long announced) {
    if (announced < 0 || announced > MAX_CHUNKED_BYTES) {
      throw new ChunkingException(
          "chunked payload '"
              + name
              + "' announces content_length "
              + announced
              + "; accepted range is 0.."
              + MAX_CHUNKED_BYTES
              + " bytes");
    }
  }

  /** Best-effort removal (also used to clean up after a failed send). */
  public void delete(String name) {
    try {
      store().delete(name);
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      // The object may already be gone; leaving a stray object is harmless, so never fail a call
      // here.
    }
  }

  private ObjectStore store() throws IOException, JetStreamApiException {
    ObjectStore s = store;
    if (s != null) {
      return s;
    }
    synchronized (this) {
      if (store == null) {
        ObjectStoreOptions opts =
            jsDomain == null
                ? ObjectStoreOptions.builder().build()
                : ObjectStoreOptions.builder().jsDomain(jsDomain).build();
        try {
          connection.objectStoreManagement(opts).getStatus(bucket);
        } catch (JetStreamApiException e) {
          connection
              .objectStoreManagement(opts)
              .create(
                  ObjectStoreConfiguration.builder(bucket)
                      .storageType(StorageType.File)
                      .ttl(OBJECT_TTL)
                      .build());
        }
        store = connection.objectStore(bucket, opts);
      }
      return store;
    }
  }
}
