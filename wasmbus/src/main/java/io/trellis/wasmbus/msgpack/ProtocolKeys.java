package io.trellis.wasmbus.msgpack;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The map keys of the protocol's messages (invocations, responses, the interfaces' payloads), so
 * that reading a key the protocol knows returns a constant instead of allocating a string.
 */
final class ProtocolKeys {
  private static final String[] KEYS = {
    "origin",
    "target",
    "operation",
    "msg",
    "id",
    "encoded_claims",
    "host_id",
    "content_length",
    "traceContext",
    "public_key",
    "contract_id",
    "link_name",
    "invocation_id",
    "error",
    "instance_id",
    "method",
    "path",
    "queryString",
    "header",
    "headers",
    "body",
    "statusCode",
    "url",
    "key",
    "value",
    "exists",
    "subject",
    "replyTo",
    "level",
    "text",
    "timeoutMs",
    "healthy",
    "message",
  };
  private static final int SIZE = 128; // power of two, well above KEYS.length: few collisions
  private static final String[] TABLE = new String[SIZE];
  private static final byte[][] BYTES = new byte[SIZE][];

  static {
    for (String k : KEYS) {
      byte[] b = k.getBytes(StandardCharsets.US_ASCII);
      int slot = hash(b, 0, b.length);
      while (TABLE[slot] != null) {
        slot = (slot + 1) & (SIZE - 1);
      }
      TABLE[slot] = k;
      BYTES[slot] = b;
    }
  }

  private ProtocolKeys() {}

  private static int hash(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    int h = len * 31 + b[off];
    h = h * 31 + b[off + len - 1];
    h = h * 31 + b[off + (len >> 1)];
    return (h ^ (h >>> 7)) & (SIZE - 1);
  }

  /** The constant equal to {@code len} bytes at {@code off}, or null when it is not a known key. */
  static @Nullable String find(byte[] in, int off, int len) {
    int slot = hash(in, off, len);
    while (true) {
      byte[] k = BYTES[slot];
      if (k == null) {
        return null;
      }
      if (k.length == len && Arrays.equals(k, 0, len, in, off, off + len)) {
        return TABLE[slot];
      }
      slot = (slot + 1) & (SIZE - 1);
    }
  }
}
