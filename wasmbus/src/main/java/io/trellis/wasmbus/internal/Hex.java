package io.trellis.wasmbus.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Upper-case hex and SHA-256 helpers: every digest in the protocol is HEX_UPPER(SHA-256(...)). */
public final class Hex {
  private static final HexFormat UPPER = HexFormat.of().withUpperCase();

  private Hex() {}

  public static String upper(byte[] bytes) {
    return UPPER.formatHex(bytes);
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  public static String sha256Upper(byte[] bytes) {
    return upper(sha256().digest(bytes));
  }
}
