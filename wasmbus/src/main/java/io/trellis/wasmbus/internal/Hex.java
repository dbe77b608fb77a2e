package io.trellis.wasmbus.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Upper-case hex and SHA-256 helpers: every digest in the protocol is HEX_UPPER(SHA-256(...)). */
public final class Hex {
  private static final HexFormat UPPER = HexFormat.of().withUpperCase();

  // cloning a digest skips the provider lookup getInstance does on every call
  private static final MessageDigest SHA256 = newSha256();

  private Hex() {}

  public static String upper(byte[] bytes) {
    return UPPER.formatHex(bytes);
  }

  public static MessageDigest sha256() {
    try {
      return (MessageDigest) SHA256.clone();
    } catch (CloneNotSupportedException e) {
      return newSha256();
    }
  }

  private static MessageDigest newSha256() {
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
