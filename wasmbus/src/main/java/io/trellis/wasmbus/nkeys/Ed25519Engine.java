package io.trellis.wasmbus.nkeys;

import org.jspecify.annotations.Nullable;

/**
 * Ed25519 primitives behind one seam so the implementation can be chosen by measurement (see
 * docs/BENCHMARKS.md). Select with the system property {@code trellis.ed25519=bc|jdk}.
 */
public interface Ed25519Engine {

  /** Derives the 32-byte public key from a 32-byte seed. */
  byte[] publicKey(byte[] seed);

  /**
   * Turns a public key into whatever the engine verifies fastest with. The result is cached by
   * callers per key, so decoding the curve point happens once per issuer, not once per message.
   * Null when the engine cannot use the key; {@link #verify} then answers false.
   */
  @Nullable Object preparePublicKey(byte[] publicKey);

  /** Turns a seed into whatever the engine signs fastest with; cached per key pair. */
  Object prepareSeed(byte[] seed);

  byte[] sign(Object preparedSeed, byte[] message, int offset, int length);

  boolean verify(
      @Nullable Object preparedPublicKey, byte[] message, int offset, int length, byte[] signature);

  String name();

  static Ed25519Engine byName(String name) {
    return switch (name) {
      case "jdk" -> new JdkEd25519();
      case "bc" -> new BouncyCastleEd25519();
      default ->
          throw new IllegalArgumentException(
              "unknown Ed25519 engine '" + name + "' (expected bc or jdk)");
    };
  }

  static Ed25519Engine defaultEngine() {
    return Holder.DEFAULT;
  }

  /** Lazily chosen default; BouncyCastle measured faster (docs/BENCHMARKS.md). */
  final class Holder {
    static final Ed25519Engine DEFAULT = byName(System.getProperty("trellis.ed25519", "bc"));

    private Holder() {}
  }
}
