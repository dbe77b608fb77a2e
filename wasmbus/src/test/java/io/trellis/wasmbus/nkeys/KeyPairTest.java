package io.trellis.wasmbus.nkeys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.wasmbus.SpecVectors;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeyPairTest {

  @Test
  void specSeedsDeriveSpecPublicKeysAndRoundTrip() {
    for (String[] v : SpecVectors.NKEYS) {
      KeyPair kp = KeyPair.fromSeed(v[0]);
      assertEquals(v[1], kp.publicKey(), "public key of " + v[0].substring(0, 2));
      assertEquals(v[0], kp.seed(), "seed must re-encode identically");
    }
  }

  @Test
  void seedTypeBytesAreDecoded() {
    assertEquals(KeyType.ACCOUNT, KeyPair.fromSeed(SpecVectors.NKEYS[0][0]).type());
    assertEquals(KeyType.MODULE, KeyPair.fromSeed(SpecVectors.NKEYS[1][0]).type());
    assertEquals(0, KeyType.ACCOUNT.prefixByte());
    assertEquals(96, KeyType.MODULE.prefixByte());
    assertEquals(KeyType.CLUSTER, KeyPair.fromSeed(SpecVectors.CLUSTER_SEED).type());
    assertEquals(SpecVectors.CLUSTER_PK, KeyPair.fromSeed(SpecVectors.CLUSTER_SEED).publicKey());
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void everyTypeGeneratesSignsAndVerifies(KeyType type) {
    KeyPair kp = KeyPair.generate(type);
    assertEquals(type.letter(), kp.publicKey().charAt(0));
    assertEquals('S', kp.seed().charAt(0));
    assertEquals(type.letter(), kp.seed().charAt(1));
    assertEquals(56, kp.publicKey().length());
    assertEquals(58, kp.seed().length());
    byte[] msg = "hello lattice".getBytes(StandardCharsets.UTF_8);
    byte[] sig = kp.sign(msg);
    KeyPair verifier = KeyPair.fromPublicKey(kp.publicKey());
    assertEquals(type, verifier.type());
    assertTrue(verifier.verify(msg, sig));
    msg[0] ^= 1;
    assertFalse(verifier.verify(msg, sig));
    assertEquals(kp.publicKey(), KeyPair.fromSeed(kp.seed()).publicKey());
  }

  @Test
  void allEd25519EnginesAgree() {
    KeyPair kp = KeyPair.fromSeed(SpecVectors.NKEYS[0][0]);
    byte[] msg = "deterministic".getBytes(StandardCharsets.UTF_8);
    byte[] bc = kp.withEngine(Ed25519Engine.byName("bc")).sign(msg);
    byte[] jdk = kp.withEngine(Ed25519Engine.byName("jdk")).sign(msg);
    byte[] sodium = kp.withEngine(Ed25519Engine.byName("sodium")).sign(msg);
    assertArrayEquals(bc, jdk);
    assertArrayEquals(bc, sodium);
    KeyPair pub = KeyPair.fromPublicKey(kp.publicKey());
    assertTrue(pub.withEngine(Ed25519Engine.byName("jdk")).verify(msg, sodium));
    assertTrue(pub.withEngine(Ed25519Engine.byName("bc")).verify(msg, jdk));
    assertTrue(pub.withEngine(Ed25519Engine.byName("sodium")).verify(msg, bc));
  }

  @Test
  void wrongCrcIsRejected() {
    String pk = SpecVectors.NKEYS[1][1];
    String broken = pk.substring(0, 55) + (pk.charAt(55) == 'A' ? 'B' : 'A');
    InvalidKeyException e =
        assertThrows(InvalidKeyException.class, () -> KeyPair.fromPublicKey(broken));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    String seed = SpecVectors.NKEYS[1][0];
    String brokenSeed =
        seed.substring(0, 20) + (seed.charAt(20) == 'A' ? 'B' : 'A') + seed.substring(21);
    InvalidKeyException es =
        assertThrows(InvalidKeyException.class, () -> KeyPair.fromSeed(brokenSeed));
    assertTrue(es.getMessage().contains("checksum"), es.getMessage());
    assertFalse(
        es.getMessage().contains(brokenSeed.substring(2, 12)),
        "a seed must never be echoed in errors");
  }

  @Test
  void flippedBitInKeyIsRejected() {
    String pk = SpecVectors.NKEYS[0][1];
    String flipped = pk.substring(0, 10) + (pk.charAt(10) == 'Q' ? 'R' : 'Q') + pk.substring(11);
    assertThrows(InvalidKeyException.class, () -> KeyPair.fromPublicKey(flipped));
  }

  @Test
  void wrongTypeIsNamed() {
    InvalidKeyException e =
        assertThrows(
            InvalidKeyException.class,
            () -> KeyPair.fromPublicKey(SpecVectors.NKEYS[0][1], KeyType.MODULE));
    assertTrue(e.getMessage().contains("module"), e.getMessage());
    assertTrue(e.getMessage().contains("account"), e.getMessage());
    InvalidKeyException s =
        assertThrows(
            InvalidKeyException.class,
            () -> KeyPair.fromSeed(SpecVectors.NKEYS[1][0], KeyType.CLUSTER));
    assertTrue(s.getMessage().contains("cluster"), s.getMessage());
  }

  @Test
  void malformedInputsNameTheProblem() {
    assertThrows(InvalidKeyException.class, () -> KeyPair.fromPublicKey(""));
    assertTrue(
        assertThrows(InvalidKeyException.class, () -> KeyPair.fromPublicKey("Mbob"))
            .getMessage()
            .contains("56"));
    assertTrue(
        assertThrows(
                InvalidKeyException.class,
                () -> KeyPair.fromPublicKey(SpecVectors.NKEYS[0][0].substring(0, 56)))
            .getMessage()
            .contains("seed"));
    assertTrue(
        assertThrows(InvalidKeyException.class, () -> KeyPair.fromPublicKey("M" + "1".repeat(55)))
            .getMessage()
            .contains("base32"));
    assertThrows(InvalidKeyException.class, () -> KeyType.fromLabel("wizard"));
    assertEquals(KeyType.SERVICE, KeyType.fromLabel("Service"));
  }

  @Test
  void toStringNeverShowsTheSeed() {
    KeyPair kp = KeyPair.fromSeed(SpecVectors.NKEYS[0][0]);
    assertFalse(kp.toString().contains(kp.seed()));
    assertThrows(InvalidKeyException.class, () -> KeyPair.fromPublicKey(kp.publicKey()).seed());
    assertThrows(
        InvalidKeyException.class, () -> KeyPair.fromPublicKey(kp.publicKey()).sign(new byte[1]));
  }
}
