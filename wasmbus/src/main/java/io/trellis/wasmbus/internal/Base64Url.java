package io.trellis.wasmbus.internal;

import java.nio.charset.StandardCharsets;

/**
 * base64url without padding (RFC 4648, "base 64 encoding with URL and filename safe alphabet"),
 * written into a caller's array at an offset, so a token is assembled in one buffer. Decoding stays
 * with {@link java.util.Base64}.
 */
public final class Base64Url {
  private static final byte[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
          .getBytes(StandardCharsets.US_ASCII);

  private Base64Url() {}

  /** Characters needed for {@code length} bytes. */
  public static int encodedLength(int length) {
    return length / 3 * 4 + (length % 3 == 0 ? 0 : length % 3 + 1);
  }

  /**
   * Encodes {@code src[off, off+len)} at {@code dst[at]}; returns the index after the last char.
   */
  public static int encode(byte[] src, int off, int len, byte[] dst, int at) {
    int end = off + len - len % 3;
    int p = at;
    for (int i = off; i < end; i += 3) {
      int bits = (src[i] & 0xff) << 16 | (src[i + 1] & 0xff) << 8 | (src[i + 2] & 0xff);
      dst[p++] = ALPHABET[bits >>> 18];
      dst[p++] = ALPHABET[(bits >>> 12) & 0x3f];
      dst[p++] = ALPHABET[(bits >>> 6) & 0x3f];
      dst[p++] = ALPHABET[bits & 0x3f];
    }
    int rest = len % 3;
    if (rest == 1) {
      int bits = (src[end] & 0xff) << 16;
      dst[p++] = ALPHABET[bits >>> 18];
      dst[p++] = ALPHABET[(bits >>> 12) & 0x3f];
    } else if (rest == 2) {
      int bits = (src[end] & 0xff) << 16 | (src[end + 1] & 0xff) << 8;
      dst[p++] = ALPHABET[bits >>> 18];
      dst[p++] = ALPHABET[(bits >>> 12) & 0x3f];
      dst[p++] = ALPHABET[(bits >>> 6) & 0x3f];
    }
    return p;
  }
}
