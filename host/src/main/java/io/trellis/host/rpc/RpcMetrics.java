package io.trellis.host.rpc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/** Meters of the lattice RPC layer: rejected invocations by kind, bytes in and out. */
public final class RpcMetrics {
  private final MeterRegistry registry;
  private final DistributionSummary bytesIn;
  private final DistributionSummary bytesOut;

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
  }

  public void rejected(String actor, String kind) {
    Counter.builder("trellis.rpc.rejected")
        .description("inbound invocations refused before reaching wasm")
        .tag("actor", actor)
        .tag("kind", kind)
        .register(registry)
        .increment();
  }

  public void bytesIn(long n) {
    bytesIn.record(n);
  }

  public void bytesOut(long n) {
    bytesOut.record(n);
  }
}
