package io.trellis.host.rpc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.trellis.wasmbus.nkeys.Ed25519Engine;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters of the lattice RPC layer: rejected invocations by kind, bytes in and out, and which
 * Ed25519 engine signs and verifies ({@code trellis_ed25519_engine{engine="sodium"|"bc"|"jdk"}} =
 * 1), so an operator can see a host that fell back to BouncyCastle.
 */
public final class RpcMetrics {
  private final MeterRegistry registry;
  private final DistributionSummary bytesIn;
  private final DistributionSummary bytesOut;
  // actor + kind -> counter: builders sort tags and look up ids, so repeated refusals reuse one
  private final ConcurrentHashMap<String, Counter> rejected = new ConcurrentHashMap<>();

  public RpcMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.bytesIn =
        DistributionSummary.builder("trellis.rpc.bytes.in")
            .baseUnit("bytes")
            .description("invocation payload bytes received")
            .register(registry);
    this.bytesOut =
        DistributionSummary.builder("trellis.rpc.bytes.out")
            .baseUnit("bytes")
            .description("invocation payload bytes sent")
            .register(registry);
    Gauge.builder("trellis.ed25519.engine", () -> 1)
        .description(
            "the Ed25519 engine of this host: sodium (libsodium), bc (BouncyCastle, also the"
                + " fallback when libsodium cannot be loaded) or jdk")
        .tag("engine", Ed25519Engine.defaultEngine().name())
        .register(registry);
  }

  public void rejected(String actor, String kind) {
    rejected
        .computeIfAbsent(
            actor + '\n' + kind,
            k ->
                Counter.builder("trellis.rpc.rejected")
                    .description("inbound invocations refused before reaching wasm")
                    .tag("actor", actor)
                    .tag("kind", kind)
                    .register(registry))
        .increment();
  }

  public void bytesIn(long n) {
    bytesIn.record(n);
  }

  public void bytesOut(long n) {
    bytesOut.record(n);
  }
}
