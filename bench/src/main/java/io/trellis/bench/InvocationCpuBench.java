package io.trellis.bench;

import io.trellis.wasmbus.nkeys.Ed25519Engine;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.rpc.Invocation;
import io.trellis.wasmbus.rpc.InvocationCodec;
import io.trellis.wasmbus.rpc.InvocationSigner;
import io.trellis.wasmbus.rpc.InvocationValidator;
import io.trellis.wasmbus.rpc.WasmCloudEntity;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * The operations of {@link InvocationBench} timed by the CPU time of the thread that runs them
 * rather than by the wall clock, so the numbers hold on a machine that other work keeps busy
 * (scripts/bench/wasmbus.sh runs both). Each operation runs for warm-up rounds, then 7 rounds of N
 * calls; the median round is reported. The engine is the JVM's default ({@code
 * -Dtrellis.ed25519=...}). Usage: {@code InvocationCpuBench [calls per round=20000]}.
 */
public final class InvocationCpuBench {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private InvocationCpuBench() {}

  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    Ed25519Engine engine = Ed25519Engine.defaultEngine();
    KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
    InvocationSigner signer = new InvocationSigner(cluster, cluster.publicKey());
    InvocationValidator validator = new InvocationValidator(List.of(cluster.publicKey()));
    WasmCloudEntity origin =
        WasmCloudEntity.provider(
            KeyPair.generate(KeyType.SERVICE).publicKey(), "wasmcloud:httpserver", "default");
    WasmCloudEntity target = WasmCloudEntity.actor(KeyPair.generate(KeyType.MODULE).publicKey());
    byte[] payload = new byte[200];
    new Random(1).nextBytes(payload);
    byte[] encoded =
        InvocationCodec.encode(signer.sign(origin, target, "HttpServer.HandleRequest", payload));
    KeyPair verifier = KeyPair.fromPublicKey(cluster.publicKey());
    byte[] signature = cluster.sign(payload);
    System.out.printf(
        "engine %s; CPU time per call, median of 7 rounds of %,d%n", engine.name(), calls);
    report(
        "encodeAndSign",
        calls,
        () ->
            InvocationCodec.encode(signer.sign(origin, target, "HttpServer.HandleRequest", payload))
                .length);
    report(
        "decodeAndVerify",
        calls,
        () -> {
          Invocation inv = InvocationValidator.decode(encoded);
          return validator.verify(inv, target.publicKey()).issuedAt();
        });
    Invocation prebuilt = signer.sign(origin, target, "HttpServer.HandleRequest", payload);
    report(
        "  of which sign",
        calls,
        () -> signer.sign(origin, target, "HttpServer.HandleRequest", payload).id().length());
    report("  of which encode", calls, () -> InvocationCodec.encode(prebuilt).length);
    report("  of which decode", calls, () -> InvocationValidator.decode(encoded).msg().length);
    report("rawSign", calls, () -> cluster.sign(payload).length);
    report("rawVerify", calls, () -> verifier.verify(payload, signature) ? 1 : 0);
  }

  private static void report(String name, int calls, LongSupplier op) {
    long sink = 0;
    for (int w = 0; w < 3; w++) {
      for (int i = 0; i < calls; i++) {
        sink += op.getAsLong();
      }
    }
    double[] rounds = new double[7];
    for (int r = 0; r < rounds.length; r++) {
      long t0 = THREADS.getCurrentThreadCpuTime();
      for (int i = 0; i < calls; i++) {
        sink += op.getAsLong();
      }
      rounds[r] = (THREADS.getCurrentThreadCpuTime() - t0) / 1e3 / calls;
    }
    Arrays.sort(rounds);
    System.out.printf(
        "%-16s %7.1f us/op cpu (rounds %.1f .. %.1f)%s%n",
        name, rounds[3], rounds[0], rounds[6], sink == 42 ? " " : "");
  }
}
