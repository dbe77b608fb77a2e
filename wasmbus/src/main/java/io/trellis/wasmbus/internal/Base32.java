package io.trellis.wasmbus.internal;

import java.util.Arrays;

/** RFC 4648 base32 (A-Z, 2-7) without padding, as nkeys use it. */
public final class Base32 {
  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  private static final int[] LOOKUP = new int[128];

  static {
    Arrays.fill(LOOKUP, -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      LOOKUP[ALPHABET[i]] = i;
    }
  }

  private Base32() {}

  public static String encode(byte[] data) {
    StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(ALPHABET[(buffer >> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(ALPHABET[(buffer << (5 - bits)) & 31]);
    }
    return out.toString();
  }

  /**
   * Decodes base32 text.
   *
   * @throws IllegalArgumentException naming the first character outside the alphabet
   */
  public static byte[] decode(CharSequence text) {
    byte[] out = new byte[text.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int pos = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int v = c < 128 ? LOOKUP[c] : -1;
      if (v < 0) {
        throw new IllegalArgumentException("invalid base32 character '" + c + "' at position " + i);
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out[pos++] = (byte) (buffer >> (bits - 8));
        bits -= 8;
      }
    }
    return out;
  }
}
