package io.trellis.wasmbus.nkeys;

import org.jspecify.annotations.Nullable;

/**
 * Ed25519 primitives behind one seam so the implementation can be chosen by measurement (see
 * docs/BENCHMARKS.md): libsodium through FFM by default, BouncyCastle when libsodium cannot be
 * loaded, the JDK's SunEC on request. Select with {@code -Dtrellis.ed25519=auto|sodium|bc|jdk}.
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

  /**
   * The engine called {@code name}: {@code sodium} (libsodium through FFM), {@code bc}
   * (BouncyCastle) or {@code jdk} (SunEC).
   *
   * @throws IllegalArgumentException for another name
   * @throws IllegalStateException for {@code sodium} when libsodium cannot be loaded, saying why
   */
  static Ed25519Engine byName(String name) {
    return switch (name) {
      case "sodium" -> SodiumEd25519.instance();
      case "jdk" -> new JdkEd25519();
      case "bc" -> new BouncyCastleEd25519();
      default ->
          throw new IllegalArgumentException(
              "unknown Ed25519 engine '" + name + "' (expected sodium, bc or jdk)");
    };
  }

  /**
   * The engine new keys use: libsodium when it loads, else BouncyCastle; {@code
   * -Dtrellis.ed25519=auto|sodium|bc|jdk} overrides. Chosen and logged once per JVM.
   */
  static Ed25519Engine defaultEngine() {
    return EngineSelection.DEFAULT.engine();
  }

  /**
   * One line for operators naming the default engine, and why BouncyCastle is used when libsodium
   * was wanted but could not be loaded. Never contains key material.
   */
  static String defaultEngineNote() {
    return EngineSelection.DEFAULT.note();
  }
}
