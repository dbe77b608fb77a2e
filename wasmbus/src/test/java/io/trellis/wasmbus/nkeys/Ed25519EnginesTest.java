package io.trellis.wasmbus.nkeys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * libsodium (through FFM) against RFC 8032 and against BouncyCastle: the same keys, the same
 * signatures, the same refusals. The build machine has libsodium23 (scripts/setup.sh), so a missing
 * library fails here instead of silently testing only the fallback.
 */
class Ed25519EnginesTest {
  private static final HexFormat HEX = HexFormat.of();

  /** RFC 8032 test vectors TEST 1, 2 and 3: seed, public key, message, signature. */
  private static final String[][] RFC8032 = {
    {
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
      "",
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bac"
          + "c61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    },
    {
      "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
      "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
      "72",
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e"
          + "458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
    },
    {
      "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
      "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
      "af82",
      "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290"
          + "ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
    },
  };

  private static Ed25519Engine sodium;
  private static final Ed25519Engine BC = Ed25519Engine.byName("bc");

  @BeforeAll
  static void libsodiumLoads() {
    String reason = SodiumEd25519.unavailableReason();
    assertNull(reason, "libsodium must load on the build machine (scripts/setup.sh): " + reason);
    sodium = Ed25519Engine.byName("sodium");
  }

  @Test
  void libsodiumIsTheDefaultWhenItLoads() {
    if (System.getProperty(EngineSelection.PROPERTY) == null) {
      assertEquals("sodium", Ed25519Engine.defaultEngine().name());
      assertTrue(
          Ed25519Engine.defaultEngineNote().startsWith("Ed25519: libsodium 1.0."),
          Ed25519Engine.defaultEngineNote());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sodium", "bc", "jdk"})
  void rfc8032Vectors(String name) {
    Ed25519Engine engine = Ed25519Engine.byName(name);
    for (String[] v : RFC8032) {
      byte[] seed = HEX.parseHex(v[0]);
      byte[] pk = HEX.parseHex(v[1]);
      byte[] msg = HEX.parseHex(v[2]);
      byte[] sig = HEX.parseHex(v[3]);
      assertEquals(v[1], HEX.formatHex(engine.publicKey(seed)), name + " public key of " + v[0]);
      byte[] signed = engine.sign(engine.prepareSeed(seed), msg, 0, msg.length);
      assertEquals(v[3], HEX.formatHex(signed), name + " signature of '" + v[2] + "'");
      Object prepared = engine.preparePublicKey(pk);
      assertTrue(engine.verify(prepared, msg, 0, msg.length, sig), name + " verifies " + v[2]);
      byte[] other = Arrays.copyOf(msg, msg.length + 1);
      assertFalse(engine.verify(prepared, other, 0, other.length, sig), name + " longer message");
    }
  }

  /** Thousands of random keys and messages, signed by one engine and checked by the other. */
  @Test
  void agreesWithBouncyCastleBothWays() {
    Random random = new Random(20260516);
    for (int i = 0; i < 3000; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      byte[] msg = new byte[random.nextInt(i % 10 == 0 ? 4096 : 300)];
      random.nextBytes(msg);
      byte[] pk = sodium.publicKey(seed);
      assertArrayEquals(BC.publicKey(seed), pk, "public key " + i);
      int off = msg.length == 0 ? 0 : random.nextInt(msg.length);
      int len = msg.length - off;
      byte[] bySodium = sodium.sign(sodium.prepareSeed(seed), msg, off, len);
      byte[] byBc = BC.sign(BC.prepareSeed(seed), msg, off, len);
      // Ed25519 is deterministic: equal signatures prove the same key expansion and nonce
      assertArrayEquals(byBc, bySodium, "signature " + i);
      assertTrue(BC.verify(BC.preparePublicKey(pk), msg, off, len, bySodium), "bc verifies " + i);
      assertTrue(sodium.verify(sodium.preparePublicKey(pk), msg, off, len, byBc), "sodium " + i);
      if (len > 0) {
        msg[off + random.nextInt(len)] ^= (byte) (1 << random.nextInt(8));
        assertFalse(sodium.verify(sodium.preparePublicKey(pk), msg, off, len, byBc), "tampered");
        assertFalse(BC.verify(BC.preparePublicKey(pk), msg, off, len, bySodium), "tampered bc");
      }
    }
  }

  @Test
  void everyFlippedBitOfTheSignatureIsRefused() {
    byte[] seed = HEX.parseHex(RFC8032[2][0]);
    byte[] msg = "an invocation token".getBytes();
    byte[] sig = sodium.sign(sodium.prepareSeed(seed), msg, 0, msg.length);
    Object pk = sodium.preparePublicKey(sodium.publicKey(seed));
    Object bcPk = BC.preparePublicKey(sodium.publicKey(seed));
    for (int bit = 0; bit < sig.length * 8; bit++) {
      byte[] bad = sig.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertFalse(sodium.verify(pk, msg, 0, msg.length, bad), "sodium, bit " + bit);
      assertFalse(BC.verify(bcPk, msg, 0, msg.length, bad), "bc, bit " + bit);
    }
  }

  @Test
  void everyFlippedBitOfThePublicKeyIsRefused() {
    byte[] seed = HEX.parseHex(RFC8032[1][0]);
    byte[] msg = "hello".getBytes();
    byte[] sig = sodium.sign(sodium.prepareSeed(seed), msg, 0, msg.length);
    byte[] pk = sodium.publicKey(seed);
    for (int bit = 0; bit < pk.length * 8; bit++) {
      byte[] bad = pk.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertFalse(sodium.verify(sodium.preparePublicKey(bad), msg, 0, msg.length, sig), "" + bit);
      assertFalse(BC.verify(BC.preparePublicKey(bad), msg, 0, msg.length, sig), "bc " + bit);
    }
  }

  @Test
  void wrongLengthsAreRefused() {
    byte[] seed = HEX.parseHex(RFC8032[0][0]);
    byte[] msg = "m".getBytes();
    byte[] sig = sodium.sign(sodium.prepareSeed(seed), msg, 0, msg.length);
    byte[] pk = sodium.publicKey(seed);
    Object prepared = sodium.preparePublicKey(pk);
    for (int len : new int[] {0, 1, 63, 65, 128}) {
      byte[] s = Arrays.copyOf(sig, len);
      assertFalse(sodium.verify(prepared, msg, 0, msg.length, s), "signature of " + len + " bytes");
    }
    for (int len : new int[] {0, 31, 33, 64}) {
      Object p = sodium.preparePublicKey(Arrays.copyOf(pk, len));
      assertNull(p, "public key of " + len + " bytes");
      assertFalse(sodium.verify(p, msg, 0, msg.length, sig));
    }
    assertFalse(sodium.verify(BC.preparePublicKey(pk), msg, 0, msg.length, sig), "bc's key type");
    for (int len : new int[] {0, 31, 33}) {
      byte[] badSeed = new byte[len];
      InvalidKeyException e =
          assertThrows(InvalidKeyException.class, () -> sodium.prepareSeed(badSeed));
      assertTrue(e.getMessage().contains("32 bytes, got " + len), e.getMessage());
    }
  }

  /**
   * S + L verifies in lax implementations; RFC 8032 (verify, step 1) and both engines refuse it.
   */
  @Test
  void nonCanonicalScalarIsRefused() {
    byte[] seed = HEX.parseHex(RFC8032[0][0]);
    byte[] msg = "malleable?".getBytes();
    byte[] sig = sodium.sign(sodium.prepareSeed(seed), msg, 0, msg.length);
    BigInteger order =
        BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
    byte[] sLittle = Arrays.copyOfRange(sig, 32, 64);
    BigInteger s = new BigInteger(1, reverse(sLittle)).add(order);
    byte[] sPlusL = reverse(toFixed(s, 32));
    byte[] bad = sig.clone();
    System.arraycopy(sPlusL, 0, bad, 32, 32);
    byte[] pk = sodium.publicKey(seed);
    assertFalse(sodium.verify(sodium.preparePublicKey(pk), msg, 0, msg.length, bad));
    assertFalse(BC.verify(BC.preparePublicKey(pk), msg, 0, msg.length, bad));
  }

  @Test
  void smallOrderPublicKeysAreRefused() {
    byte[] msg = "x".getBytes();
    byte[] identity = new byte[32];
    identity[0] = 1; // the neutral element (0, 1)
    byte[] sig = new byte[64];
    sig[0] = 1; // R = identity, S = 0: "verifies" for any message under the identity key
    assertFalse(sodium.verify(sodium.preparePublicKey(identity), msg, 0, msg.length, sig));
    assertFalse(sodium.verify(sodium.preparePublicKey(new byte[32]), msg, 0, msg.length, sig));
    assertFalse(BC.verify(BC.preparePublicKey(identity), msg, 0, msg.length, sig), "bc");
  }

  /** Many virtual threads sign and verify at once with their own keys; every result checks out. */
  @Test
  void concurrentSigningAndVerifyingOnVirtualThreads() throws Exception {
    int threads = 200;
    List<Future<Integer>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < threads; t++) {
        int id = t;
        results.add(
            pool.submit(
                () -> {
                  Random r = new Random(id);
                  byte[] seed = new byte[32];
                  r.nextBytes(seed);
                  Object sk = sodium.prepareSeed(seed);
                  Object pk = sodium.preparePublicKey(sodium.publicKey(seed));
                  int ok = 0;
                  for (int i = 0; i < 100; i++) {
                    byte[] msg = new byte[1 + r.nextInt(500)];
                    r.nextBytes(msg);
                    byte[] sig = sodium.sign(sk, msg, 0, msg.length);
                    if (sodium.verify(pk, msg, 0, msg.length, sig)
                        && Arrays.equals(sig, BC.sign(BC.prepareSeed(seed), msg, 0, msg.length))) {
                      ok++;
                    }
                    if (i % 10 == 0) {
                      Thread.yield(); // let other virtual threads interleave on the carriers
                    }
                  }
                  return ok;
                }));
      }
      for (Future<Integer> f : results) {
        assertEquals(100, f.get());
      }
    }
  }

  @Test
  void preparedSecretKeyNeverPrintsItsBytes() {
    Object sk = sodium.prepareSeed(HEX.parseHex(RFC8032[0][0]));
    assertFalse(sk.toString().contains("9d"), sk.toString());
    assertTrue(sk.toString().contains("redacted"));
  }

  private static byte[] reverse(byte[] b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[b.length - 1 - i];
    }
    return out;
  }

  private static byte[] toFixed(BigInteger v, int len) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[len];
    int n = Math.min(raw.length, len);
    System.arraycopy(raw, raw.length - n, out, len - n, n);
    return out;
  }
}
