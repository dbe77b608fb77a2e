package io.trellis.bench;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.trellis.host.Host;
import io.trellis.host.config.HostConfigLoader;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.nkeys.Ed25519Engine;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.rpc.InvocationCodec;
import io.trellis.wasmbus.rpc.InvocationResponse;
import io.trellis.wasmbus.rpc.InvocationSigner;
import io.trellis.wasmbus.rpc.WasmCloudEntity;
import io.trellis.wasmbus.subjects.Subjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Signed echo invocations over NATS through a real host, side by side with raw jnats request/reply
 * of the same payload size against a trivial Java responder, in one run on one nats-server
 * (scripts/bench/rpc.sh).
 */
public final class RpcBench {
  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
    Path dir = Files.createTempDirectory("trellis-rpcbench");
    try (NatsServer nats = NatsServer.start()) {
      Map<String, String> env =
          Map.of(
              "WASMCLOUD_RPC_PORT",
              "" + nats.port(),
              "WASMCLOUD_CTL_PORT",
              "" + nats.port(),
              "WASMCLOUD_CLUSTER_SEED",
              cluster.seed(),
              "HOST_CONFIG",
              dir.resolve("host_config.json").toString());
      try (Host host = Host.start(HostConfigLoader.load(env, null, Map.of(), dir));
          Connection client = NatsServer.connect(nats.clientOptions());
          Connection responder = NatsServer.connect(nats.clientOptions())) {
        host.actors()
            .start(Files.readAllBytes(Path.of("actors-samples/dist/echo.wasm")), "", 4, Map.of());
        String echo = host.actors().running().keySet().iterator().next();
        InvocationSigner signer = new InvocationSigner(cluster, cluster.publicKey());
        WasmCloudEntity origin =
            WasmCloudEntity.provider(
                KeyPair.generate(KeyType.SERVICE).publicKey(), "wasmcloud:httpserver", "default");
        WasmCloudEntity target = WasmCloudEntity.actor(echo);
        byte[] payload =
            new HttpRequest(
                    "GET",
                    "/foo/bar",
                    "a=1",
                    Map.of("host", List.of("localhost:8080"), "accept", List.of("*/*")),
                    "hello".getBytes())
                .toMsgPack();
        String subject = Subjects.actorRpc("default", echo);
        int invocationSize =
            InvocationCodec.encode(signer.sign(origin, target, HttpRequest.OPERATION, payload))
                .length;
        byte[] raw = new byte[invocationSize];

        Dispatcher d =
            responder.createDispatcher(m -> responder.publish(m.getReplyTo(), m.getData()));
        d.subscribe("bench.raw", "bench.raw");
        java.util.concurrent.ExecutorService vts =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        Dispatcher d2 =
            responder.createDispatcher(
                m -> vts.execute(() -> responder.publish(m.getReplyTo(), m.getData())));
        d2.subscribe("bench.rawvt", "bench.rawvt");
        Connection responder2 = NatsServer.connect(nats.clientOptions());
        Subscription sync = responder2.subscribe("bench.rawsync", "bench.rawsync");
        Runnable[] leader = new Runnable[1];
        java.util.concurrent.atomic.AtomicInteger idle =
            new java.util.concurrent.atomic.AtomicInteger();
        leader[0] =
            () -> {
              idle.incrementAndGet();
              while (true) {
                Message m;
                try {
                  m = sync.nextMessage(Duration.ZERO);
                } catch (Exception e) {
                  return;
                }
                if (m == null) {
                  continue;
                }
                if (idle.decrementAndGet() == 0) {
                  Thread.ofVirtual().start(leader[0]);
                }
                responder2.publish(m.getReplyTo(), m.getData());
                if (idle.get() >= 2) {
                  return;
                }
                idle.incrementAndGet();
              }
            };
        Thread.ofVirtual().start(leader[0]);
        responder.flush(Duration.ofSeconds(2));

        System.out.println(Ed25519Engine.defaultEngineNote());
        System.out.printf(
            "payload: %d-byte HttpRequest in a %d-byte signed invocation; raw baseline sends %d bytes%n",
            payload.length, invocationSize, raw.length);
        // warm-up both paths
        Load.run(
            "warmup-raw",
            16,
            20_000,
            2,
            () -> client.request("bench.raw", raw, Duration.ofSeconds(5)) != null);
        // The compiled wasm is large generated bytecode: give the JIT time to reach steady state.
        Load.run(
            "warmup-echo",
            16,
            200_000,
            10,
            () -> call(client, signer, origin, target, subject, payload));
        CpuMeter cpu = new CpuMeter(nats.pid());
        for (int c : new int[] {1, 16, 64}) {
          CpuMeter.Snapshot c0 = cpu.snapshot();
          Load.Result r =
              Load.run(
                  "raw jnats request/reply",
                  c,
                  1_000_000,
                  seconds,
                  () -> client.request("bench.raw", raw, Duration.ofSeconds(5)) != null);
          CpuMeter.Snapshot c1 = cpu.snapshot();
          if (Boolean.getBoolean("trellis.bench.hops")) {
            for (String subj : new String[] {"bench.rawvt", "bench.rawsync"}) {
              CpuMeter.Snapshot h0 = cpu.snapshot();
              Load.Result h =
                  Load.run(
                      subj,
                      c,
                      1_000_000,
                      seconds,
                      () -> client.request(subj, raw, Duration.ofSeconds(5)) != null);
              System.out.println(h.line() + CpuMeter.perRequest(h0, cpu.snapshot(), h.requests()));
            }
            c1 = cpu.snapshot();
          }
          Load.Result e =
              Load.run(
                  "signed echo via host",
                  c,
                  1_000_000,
                  seconds,
                  () -> call(client, signer, origin, target, subject, payload));
          CpuMeter.Snapshot c2 = cpu.snapshot();
          System.out.println(r.line() + CpuMeter.perRequest(c0, c1, r.requests()));
          System.out.println(e.line() + CpuMeter.perRequest(c1, c2, e.requests()));
          System.out.printf(
              "  ratio at c=%d: %.0f%% of raw throughput%n",
              c, 100 * e.perSecond() / r.perSecond());
          if (Boolean.getBoolean("trellis.bench.detail")) {
            host.meterRegistry()
                .find("trellis.actor.invocations")
                .timers()
                .forEach(
                    t ->
                        System.out.printf(
                            "  host: guest call mean %.1f us over %d calls%n",
                            t.mean(TimeUnit.MICROSECONDS), t.count()));
            host.meterRegistry()
                .find("trellis.actor.queue.wait")
                .timers()
                .forEach(
                    t ->
                        System.out.printf(
                            "  host: queue wait mean %.1f us%n", t.mean(TimeUnit.MICROSECONDS)));
          }
        }
      }
    }
  }

  static boolean call(
      Connection nc,
      InvocationSigner signer,
      WasmCloudEntity origin,
      WasmCloudEntity target,
      String subject,
      byte[] payload)
      throws Exception {
    byte[] bytes =
        InvocationCodec.encode(signer.sign(origin, target, HttpRequest.OPERATION, payload));
    var msg = nc.request(subject, bytes, Duration.ofSeconds(5));
    InvocationResponse r = InvocationCodec.decodeResponse(msg.getData());
    return r.isSuccess() && r.msg().length > 0;
  }
}
