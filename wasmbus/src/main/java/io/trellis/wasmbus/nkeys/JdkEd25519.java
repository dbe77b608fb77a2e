package io.trellis.wasmbus.nkeys;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/** Ed25519 through the JDK's SunEC provider, using the DER wrappings from PROTOCOL.md §3.2. */
final class JdkEd25519 implements Ed25519Engine {
  private static final byte[] PKCS8_PREFIX =
      HexFormat.of().parseHex("302e020100300506032b657004220420");
  private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  @Override
  public byte[] publicKey(byte[] seed) {
    // The JDK exposes no seed->public derivation, so sign-and-extract is avoided by using BC's
    // arithmetic here; only signing and verification are compared between engines.
    return new BouncyCastleEd25519().publicKey(seed);
  }

  @Override
  public @Nullable Object preparePublicKey(byte[] publicKey) {
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, publicKey)));
    } catch (GeneralSecurityException e) {
      return null;
    }
  }

  @Override
  public Object prepareSeed(byte[] seed) {
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK rejected an Ed25519 seed", e);
    }
  }

  @Override
  public byte[] sign(Object preparedSeed, byte[] message, int offset, int length) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign((PrivateKey) preparedSeed);
      s.update(message, offset, length);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  @Override
  public boolean verify(
      @Nullable Object preparedPublicKey,
      byte[] message,
      int offset,
      int length,
      byte[] signature) {
    if (!(preparedPublicKey instanceof PublicKey key)) {
      return false;
    }
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(message, offset, length);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  @Override
  public String name() {
    return "jdk";
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
