package io.trellis.wasmbus.nkeys;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The nkey types of PROTOCOL.md §3.1, with their prefix bytes. */
public enum KeyType {
  /** Signs actor and provider claims. */
  ACCOUNT(0, "account"),
  /** Signs invocations. */
  CLUSTER(16, "cluster"),
  /** Unused by the host. */
  OPERATOR(112, "operator"),
  /** Host identity. */
  SERVER(104, "server"),
  /** NATS user credentials. */
  USER(160, "user"),
  /** Actor identity. */
  MODULE(96, "module"),
  /** Capability provider identity. */
  SERVICE(168, "service");

  static final int SEED_PREFIX = 18 << 3;

  private final int prefixByte;
  private final String label;

  KeyType(int prefixByte, String label) {
    this.prefixByte = prefixByte;
    this.label = label;
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

  /** The type with this prefix byte, or null when there is none. */
  public static @Nullable KeyType fromPrefixByte(int prefix) {
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
        "unknown key type '"
            + label
            + "' (expected one of account, cluster, module, operator,"
            + " server, service, user)");
  }

  @Override
  public String toString() {
    return label + " (" + letter() + "...)";
  }
}
