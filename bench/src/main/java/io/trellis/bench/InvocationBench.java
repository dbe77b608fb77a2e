package io.trellis.bench;

import io.trellis.wasmbus.nkeys.Ed25519Engine;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.rpc.Invocation;
import io.trellis.wasmbus.rpc.InvocationCodec;
import io.trellis.wasmbus.rpc.InvocationSigner;
import io.trellis.wasmbus.rpc.InvocationValidator;
import io.trellis.wasmbus.rpc.WasmCloudEntity;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the cryptographic hot path of every invocation: encode+sign on the sender, decode+verify
 * on the receiver, for a typical 200-byte payload. The Ed25519 engine is chosen per fork with
 * {@code -Dtrellis.ed25519=sodium|bc|jdk} (scripts/bench/wasmbus.sh runs both); the raw sign/verify
 * benchmarks compare the engines inside one fork.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InvocationBench {
  @Param({"sodium", "bc", "jdk"})
  public String engine;

  private InvocationSigner signer;
  private InvocationValidator validator;
  private WasmCloudEntity origin;
  private WasmCloudEntity target;
  private byte[] payload;
  private byte[] encoded;
  private KeyPair signingKey;
  private KeyPair verifyKey;
  private byte[] signature;

  @Setup
  public void setup() {
    KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
    signer = new InvocationSigner(cluster, cluster.publicKey());
    validator = new InvocationValidator(List.of(cluster.publicKey()));
    origin =
        WasmCloudEntity.provider(
            KeyPair.generate(KeyType.SERVICE).publicKey(), "wasmcloud:httpserver", "default");
    target = WasmCloudEntity.actor(KeyPair.generate(KeyType.MODULE).publicKey());
    payload = new byte[200];
    new Random(1).nextBytes(payload);
    encoded =
        InvocationCodec.encode(signer.sign(origin, target, "HttpServer.HandleRequest", payload));
    Ed25519Engine e = Ed25519Engine.byName(engine);
    signingKey = cluster.withEngine(e);
    verifyKey = KeyPair.fromPublicKey(cluster.publicKey()).withEngine(e);
    signature = signingKey.sign(payload);
  }

  /** Sender side with the default engine of this fork. */
  @Benchmark
  public byte[] encodeAndSign() {
    return InvocationCodec.encode(signer.sign(origin, target, "HttpServer.HandleRequest", payload));
  }

  /** Receiver side with the default engine of this fork. */
  @Benchmark
  public Object decodeAndVerify() {
    Invocation inv = InvocationValidator.decode(encoded);
    return validator.verify(inv, target.publicKey());
  }

  @Benchmark
  public byte[] rawSign() {
    return signingKey.sign(payload);
  }

  @Benchmark
  public boolean rawVerify() {
    return verifyKey.verify(payload, signature);
  }
}
