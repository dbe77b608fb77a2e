package io.trellis.bench;

import io.trellis.wasmbus.nkeys.Ed25519Engine;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.management.ObjectName;

/**
 * Does an Ed25519 engine leak native memory per call? Signs and verifies N times (default one
 * million) through {@link KeyPair}, the path every invocation takes, and prints the process RSS and
 * the JVM's Native Memory Tracking totals before and after. Run with {@code
 * -XX:NativeMemoryTracking=summary} (scripts/bench/wasmbus.sh does). Usage: {@code
 * Ed25519MemoryCheck [engine=sodium] [calls=1000000]}.
 */
public final class Ed25519MemoryCheck {
  private Ed25519MemoryCheck() {}

  public static void main(String[] args) throws Exception {
    String engine = args.length > 0 ? args[0] : "sodium";
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    Ed25519Engine e = Ed25519Engine.byName(engine);
    KeyPair signer = KeyPair.generate(KeyType.CLUSTER).withEngine(e);
    KeyPair verifier = KeyPair.fromPublicKey(signer.publicKey()).withEngine(e);
    byte[] msg = new byte[600];
    new Random(1).nextBytes(msg);
    run(signer, verifier, msg, 50_000); // warm-up: JIT, TLABs, the library's own first-use state
    System.gc();
    long rss0 = rssKib();
    String nmt0 = nmtTotal();
    long t0 = System.nanoTime();
    run(signer, verifier, msg, calls);
    double secs = (System.nanoTime() - t0) / 1e9;
    System.gc();
    long rss1 = rssKib();
    String nmt1 = nmtTotal();
    System.out.printf(
        "engine %s: %,d sign+verify pairs in %.1f s (%.1f us per pair)%n",
        engine, calls, secs, secs * 1e6 / calls);
    System.out.printf(
        "RSS before %,d KiB, after %,d KiB, growth %,d KiB%n", rss0, rss1, rss1 - rss0);
    System.out.println("NMT before: " + nmt0);
    System.out.println("NMT after:  " + nmt1);
  }

  private static void run(KeyPair signer, KeyPair verifier, byte[] msg, int n) {
    for (int i = 0; i < n; i++) {
      msg[i % msg.length] = (byte) i;
      byte[] sig = signer.sign(msg);
      if (!verifier.verify(msg, sig)) {
        throw new IllegalStateException("a signature did not verify at call " + i);
      }
    }
  }

  private static long rssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  /** The "Total" and "Other" (native allocations outside the JVM's own) lines of NMT. */
  private static String nmtTotal() {
    try {
      String summary =
          (String)
              ManagementFactory.getPlatformMBeanServer()
                  .invoke(
                      new ObjectName("com.sun.management:type=DiagnosticCommand"),
                      "vmNativeMemory",
                      new Object[] {new String[] {"summary"}},
                      new String[] {String[].class.getName()});
      StringBuilder out = new StringBuilder();
      for (String line : summary.split("\n")) {
        String l = line.strip();
        if (l.startsWith("Total:")
            || l.startsWith("-                     Other")
            || l.startsWith("-                  Internal")) {
          out.append(l.replaceAll("\\s+", " ")).append("; ");
        }
      }
      return out.isEmpty() ? "(run with -XX:NativeMemoryTracking=summary)" : out.toString();
    } catch (Exception ex) {
      return "(NMT unavailable: " + ex.getMessage() + ")";
    }
  }
}
