package io.trellis.wasmbus.nkeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class EngineSelectionTest {
  private static final Supplier<Ed25519Engine> MISSING =
      () -> {
        throw new IllegalStateException("libsodium could not be loaded (tried x: not found)");
      };

  @Test
  void autoFallsBackToBouncyCastleAndSaysWhy() {
    EngineSelection.Choice c = EngineSelection.choose("auto", MISSING);
    assertEquals("bc", c.engine().name());
    assertTrue(c.fellBack());
    assertTrue(c.note().contains("BouncyCastle"), c.note());
    assertTrue(c.note().contains("libsodium could not be loaded (tried x: not found)"), c.note());
  }

  @Test
  void sodiumRequestedButMissingFallsBackToo() {
    EngineSelection.Choice c = EngineSelection.choose("sodium", MISSING);
    assertEquals("bc", c.engine().name());
    assertTrue(c.fellBack());
  }

  @Test
  void explicitEnginesAreHonoured() {
    assertEquals("bc", EngineSelection.choose("bc", MISSING).engine().name());
    assertEquals("jdk", EngineSelection.choose(" JDK ", MISSING).engine().name());
    assertFalse(EngineSelection.choose("bc", MISSING).fellBack());
  }

  @Test
  void unknownValueIsNamedAndAutoIsUsed() {
    EngineSelection.Choice c = EngineSelection.choose("nacl", BouncyCastleEd25519::new);
    assertTrue(c.fellBack());
    assertTrue(c.note().contains("unknown -Dtrellis.ed25519=nacl"), c.note());
  }

  /** A real JVM that cannot load the library: it still signs, with BouncyCastle, and logs why. */
  @Test
  void aJvmWithoutLibsodiumFallsBackAndLogsOnce() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                java.toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-D" + SodiumEd25519.LIBRARY_PROPERTY + "=/nonexistent/libsodium.so",
                "-cp",
                System.getProperty("java.class.path"),
                FallbackProbe.class.getName()));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("engine=bc signed=true"), out);
    assertTrue(out.contains("/nonexistent/libsodium.so"), out);
    // the fallback is logged once, as a warning
    assertEquals(1, out.split("BouncyCastle, about 2x slower", -1).length - 1, out);
    assertTrue(out.contains("WARN"), out);
  }

  /** Run by the test above in its own JVM. */
  public static final class FallbackProbe {
    public static void main(String[] args) {
      KeyPair kp = KeyPair.generate(KeyType.CLUSTER);
      byte[] msg = "probe".getBytes(StandardCharsets.UTF_8);
      KeyPair again = KeyPair.fromSeed(kp.seed());
      System.out.println(
          "engine="
              + Ed25519Engine.defaultEngine().name()
              + " signed="
              + KeyPair.fromPublicKey(kp.publicKey()).verify(msg, again.sign(msg)));
    }
  }
}
