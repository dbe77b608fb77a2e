package io.trellis.wasmbus.nkeys;

import io.trellis.wasmbus.internal.Base32;
import io.trellis.wasmbus.internal.Crc16;
import java.security.SecureRandom;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * An nkey: a typed Ed25519 key encoded as in PROTOCOL.md §3.1. Holds a seed when it can sign; a key
 * parsed from a public key string can only verify. {@link #toString()} never reveals the seed.
 */
public final class KeyPair {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int PUBLIC_LEN = 56;
  private static final int SEED_LEN = 58;

  private final KeyType type;
  private final byte[] rawPublic;
  private final byte @Nullable [] rawSeed;
  private final String publicKey;
  private final Ed25519Engine engine;
  private volatile @Nullable Object preparedPublic;
  private volatile @Nullable Object preparedSeed;

  private KeyPair(KeyType type, byte[] rawPublic, byte @Nullable [] rawSeed, Ed25519Engine engine) {
    this.type = type;
    this.rawPublic = rawPublic;
    this.rawSeed = rawSeed;
    this.engine = engine;
    this.publicKey = encode(new byte[] {(byte) type.prefixByte()}, rawPublic);
  }

  public static KeyPair generate(KeyType type) {
    byte[] seed = new byte[32];
    RANDOM.nextBytes(seed);
    return fromRawSeed(type, seed);
  }

  public static KeyPair fromRawSeed(KeyType type, byte[] seed) {
    if (seed.length != 32) {
      throw new InvalidKeyException("an Ed25519 seed has 32 bytes, got " + seed.length);
    }
    Ed25519Engine engine = Ed25519Engine.defaultEngine();
    return new KeyPair(type, engine.publicKey(seed), seed.clone(), engine);
  }

  /** Parses a seed string ({@code S} + type letter + ...), of any type. */
  public static KeyPair fromSeed(String seed) {
    if (seed == null || seed.isBlank()) {
      throw new InvalidKeyException("empty nkey seed");
    }
    String s = seed.strip();
    if (s.length() != SEED_LEN || s.charAt(0) != 'S') {
      throw new InvalidKeyException(
          "invalid nkey seed '" + redact(s) + "': a seed is 58 characters starting with 'S'");
    }
    byte[] raw = decodeChecked(s, "seed");
    int b1 = raw[0] & 0xff;
    int b2 = raw[1] & 0xff;
    if ((b1 & 0xf8) != KeyType.SEED_PREFIX) {
      throw new InvalidKeyException("invalid nkey seed '" + redact(s) + "': not a seed prefix");
    }
    int prefix = ((b1 & 7) << 5) | ((b2 & 0xf8) >> 3);
    KeyType type = KeyType.fromPrefixByte(prefix);
    if (type == null) {
      throw new InvalidKeyException(
          "invalid nkey seed '" + redact(s) + "': unknown key type prefix " + prefix);
    }
    return fromRawSeed(type, Arrays.copyOfRange(raw, 2, 34));
  }

  /** Parses a seed string and insists on its type, e.g. a cluster seed must be {@code SC...}. */
  public static KeyPair fromSeed(String seed, KeyType expected) {
    KeyPair kp = fromSeed(seed);
    if (kp.type != expected) {
      throw new InvalidKeyException(
          "expected a "
              + expected
              + " seed (S"
              + expected.letter()
              + "...), got a "
              + kp.type
              + " seed");
    }
    return kp;
  }

  /** Parses a public key string; the result can verify but not sign. */
  public static KeyPair fromPublicKey(String publicKey) {
    if (publicKey == null || publicKey.isEmpty()) {
      throw new InvalidKeyException("empty nkey public key");
    }
    if (publicKey.length() != PUBLIC_LEN) {
      throw new InvalidKeyException(
          "invalid nkey public key '"
              + publicKey
              + "': expected 56 characters, got "
              + publicKey.length());
    }
    if (publicKey.charAt(0) == 'S') {
      throw new InvalidKeyException("expected a public key but got a seed; seeds must stay secret");
    }
    byte[] raw = decodeChecked(publicKey, "public key");
    KeyType type = KeyType.fromPrefixByte(raw[0] & 0xff);
    if (type == null) {
      throw new InvalidKeyException(
          "invalid nkey public key '"
              + publicKey
              + "': unknown type prefix byte "
              + (raw[0] & 0xff)
              + " ('"
              + publicKey.charAt(0)
              + "')");
    }
    return new KeyPair(type, Arrays.copyOfRange(raw, 1, 33), null, Ed25519Engine.defaultEngine());
  }

  public static KeyPair fromPublicKey(String publicKey, KeyType expected) {
    KeyPair kp = fromPublicKey(publicKey);
    if (kp.type != expected) {
      throw new InvalidKeyException(
          "expected a " + expected + " key, got a " + kp.type + " key '" + publicKey + "'");
    }
    return kp;
  }

  /** True when {@code key} is a well-formed public key (checksum included) of the given type. */
  public static boolean isValidPublicKey(String key, KeyType type) {
    try {
      return fromPublicKey(key).type == type;
    } catch (InvalidKeyException e) {
      return false;
    }
  }

  public KeyType type() {
    return type;
  }

  public String publicKey() {
    return publicKey;
  }

  public boolean canSign() {
    return rawSeed != null;
  }

  /** The encoded seed. Handle with care: never log it. */
  public String seed() {
    if (rawSeed == null) {
      throw new InvalidKeyException("key " + publicKey + " has no seed: it can only verify");
    }
    int p = type.prefixByte();
    byte[] prefix = {(byte) (KeyType.SEED_PREFIX | (p >> 5)), (byte) ((p & 31) << 3)};
    return encode(prefix, rawSeed);
  }

  public byte[] sign(byte[] data) {
    return sign(data, 0, data.length);
  }

  public byte[] sign(byte[] data, int offset, int length) {
    if (rawSeed == null) {
      throw new InvalidKeyException("key " + publicKey + " has no seed and cannot sign");
    }
    Object prepared = preparedSeed;
    if (prepared == null) {
      prepared = preparedSeed = engine.prepareSeed(rawSeed);
    }
    return engine.sign(prepared, data, offset, length);
  }

  public boolean verify(byte[] data, byte[] signature) {
    return verify(data, 0, data.length, signature);
  }

  public boolean verify(byte[] data, int offset, int length, byte[] signature) {
    Object prepared = preparedPublic;
    if (prepared == null) {
      prepared = preparedPublic = engine.preparePublicKey(rawPublic);
    }
    return engine.verify(prepared, data, offset, length, signature);
  }

  /** The same key using another Ed25519 engine; for benchmarks and cross-checks. */
  public KeyPair withEngine(Ed25519Engine other) {
    return new KeyPair(type, rawPublic, rawSeed, other);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyPair k && k.publicKey.equals(publicKey);
  }

  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }

  @Override
  public String toString() {
    return "KeyPair["
        + type.label()
        + " "
        + publicKey
        + (rawSeed != null ? ", with seed" : "")
        + "]";
  }

  private static String encode(byte[] prefix, byte[] key) {
    byte[] buf = new byte[prefix.length + key.length + 2];
    System.arraycopy(prefix, 0, buf, 0, prefix.length);
    System.arraycopy(key, 0, buf, prefix.length, key.length);
    int crc = Crc16.checksum(buf, 0, buf.length - 2);
    buf[buf.length - 2] = (byte) crc;
    buf[buf.length - 1] = (byte) (crc >> 8);
    return Base32.encode(buf);
  }

  private static byte[] decodeChecked(String text, String what) {
    byte[] raw;
    try {
      raw = Base32.decode(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidKeyException(
          "invalid nkey "
              + what
              + " '"
              + (what.equals("seed") ? redact(text) : text)
              + "': "
              + e.getMessage());
    }
    int n = raw.length - 2;
    int expected = (raw[n] & 0xff) | ((raw[n + 1] & 0xff) << 8);
    if (Crc16.checksum(raw, 0, n) != expected) {
      throw new InvalidKeyException(
          "invalid nkey "
              + what
              + " '"
              + (what.equals("seed") ? redact(text) : text)
              + "': checksum (CRC16) mismatch");
    }
    return raw;
  }

  /** Seeds never appear whole in messages: two characters say which kind it was. */
  private static String redact(String seed) {
    return seed.length() <= 2 ? seed : seed.substring(0, 2) + "…(redacted)";
  }
}
