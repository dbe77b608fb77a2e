package io.trellis.wasmbus.nkeys;

import java.util.Locale;

/** The nkey types of spec 3.1, with their prefix bytes. */
public enum KeyType {
  ACCOUNT(0, "account", "signs actor and provider claims"),
  CLUSTER(16, "cluster", "signs invocations"),
  OPERATOR(112, "operator", "unused by the host"),
  SERVER(104, "server", "host identity"),
  USER(160, "user", "NATS user credentials"),
  MODULE(96, "module", "actor identity"),
  SERVICE(168, "service", "capability provider identity");

  static final int SEED_PREFIX = 18 << 3;

  private final int prefixByte;
  private final String label;
  private final String purpose;

  KeyType(int prefixByte, String label, String purpose) {
    this.prefixByte = prefixByte;
    this.label = label;
    this.purpose = purpose;
  }

  public int prefixByte() {
    return prefixByte;
  }

  /** The first character of a public key of this type, e.g. {@code 'M'} for modules. */
  public char letter() {
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".charAt(prefixByte >> 3);
  }

  public String label() {
    return label;
  }

  public String purpose() {
    return purpose;
  }

  public static KeyType fromPrefixByte(int prefix) {
    for (KeyType t : values()) {
      if (t.prefixByte == prefix) {
        return t;
      }
    }
    return null;
  }

  /** Parses a CLI-style name such as {@code module} or {@code service} (case-insensitive). */
  public static KeyType fromLabel(String label) {
    String l = label.toLowerCase(Locale.ROOT);
    for (KeyType t : values()) {
      if (t.label.equals(l)) {
        return t;
      }
    }
    throw new InvalidKeyException(
        "unknown key type '" + label + "' (expected one of account, cluster, module, operator,"
            + " server, service, user)");
  }

  @Override
  public String toString() {
    return label + " (" + letter() + "...)";
  }
}
