package io.trellis.wasmbus.nkeys;

import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.jspecify.annotations.Nullable;

/** Ed25519 through BouncyCastle's low-level RFC 8032 code, with the public point decoded once. */
final class BouncyCastleEd25519 implements Ed25519Engine {

  static {
    Ed25519.precompute();
  }

  @Override
  public byte[] publicKey(byte[] seed) {
    byte[] pk = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, pk, 0);
    return pk;
  }

  @Override
  public Object preparePublicKey(byte[] publicKey) {
    Ed25519.PublicPoint point = Ed25519.validatePublicKeyPartialExport(publicKey, 0);
    // An undecodable point cannot verify anything; keep the raw bytes so verify() returns false.
    return point != null ? point : publicKey.clone();
  }

  @Override
  public Object prepareSeed(byte[] seed) {
    return new byte[][] {seed.clone(), publicKey(seed)};
  }

  @Override
  public byte[] sign(Object preparedSeed, byte[] message, int offset, int length) {
    byte[][] keys = (byte[][]) preparedSeed;
    byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(keys[0], 0, keys[1], 0, message, offset, length, sig, 0);
    return sig;
  }

  @Override
  public boolean verify(
      @Nullable Object preparedPublicKey,
      byte[] message,
      int offset,
      int length,
      byte[] signature) {
    if (signature.length != Ed25519.SIGNATURE_SIZE
        || !(preparedPublicKey instanceof Ed25519.PublicPoint point)) {
      return false;
    }
    return Ed25519.verify(signature, 0, point, message, offset, length);
  }

  @Override
  public String name() {
    return "bc";
  }
}
