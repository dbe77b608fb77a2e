package io.trellis.wasmbus.internal;

import java.util.concurrent.ThreadLocalRandom;

/** 22-character random ids for token {@code jti}s; uniqueness matters, secrecy does not. */
public final class Nuid {
  private static final char[] DIGITS =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private Nuid() {}

  public static String next() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    char[] out = new char[22];
    for (int i = 0; i < out.length; i++) {
      out[i] = DIGITS[r.nextInt(DIGITS.length)];
    }
    return new String(out);
  }
}
