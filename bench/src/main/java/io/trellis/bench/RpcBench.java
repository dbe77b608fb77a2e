package io.trellis.bench;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.trellis.host.Host;
import io.trellis.host.config.HostConfigLoader;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.interfaces.HttpRequest;
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

/**
 * Signed echo invocations over NATS through a real host, side by side with raw jnats
 * request/reply of the same payload size against a trivial Java responder, in one run on one
 * nats-server (scripts/bench/rpc.sh).
 */
public final class RpcBench {
  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
    Path dir = Files.createTempDirectory("trellis-rpcbench");
    try (NatsServer nats = NatsServer.start()) {
      Map<String, String> env = Map.of("WASMCLOUD_RPC_PORT", "" + nats.port(), "WASMCLOUD_CTL_PORT", "" + nats.port(),
          "WASMCLOUD_CLUSTER_SEED", cluster.seed(), "HOST_CONFIG", dir.resolve("host_config.json").toString());
      try (Host host = Host.start(HostConfigLoader.load(env, null, Map.of(), dir));
           Connection client = NatsServer.connect(nats.clientOptions());
           Connection responder = NatsServer.connect(nats.clientOptions())) {
        host.actors().start(Files.readAllBytes(Path.of("actors-samples/dist/echo.wasm")), "", 4, Map.of());
        String echo = host.actors().running().keySet().iterator().next();
        InvocationSigner signer = new InvocationSigner(cluster, cluster.publicKey());
        WasmCloudEntity origin = WasmCloudEntity.provider(KeyPair.generate(KeyType.SERVICE).publicKey(),
            "wasmcloud:httpserver", "default");
        WasmCloudEntity target = WasmCloudEntity.actor(echo);
        byte[] payload = new HttpRequest("GET", "/foo/bar", "a=1",
            Map.of("host", List.of("localhost:8080"), "accept", List.of("*/*")), "hello".getBytes()).toMsgPack();
        String subject = Subjects.actorRpc("default", echo);
        int invocationSize = InvocationCodec.encode(signer.sign(origin, target, HttpRequest.OPERATION, payload)).length;
        byte[] raw = new byte[invocationSize];

        Dispatcher d = responder.createDispatcher(m -> responder.publish(m.getReplyTo(), m.getData()));
        d.subscribe("bench.raw", "bench.raw");
        responder.flush(Duration.ofSeconds(2));

        System.out.printf("payload: %d-byte HttpRequest in a %d-byte signed invocation; raw baseline sends %d bytes%n",
            payload.length, invocationSize, raw.length);
        // warm-up both paths
        Load.run("warmup-raw", 16, 20_000, 2, () -> client.request("bench.raw", raw, Duration.ofSeconds(5)) != null);
        Load.run("warmup-echo", 16, 20_000, 3, () -> call(client, signer, origin, target, subject, payload));
        for (int c : new int[] {1, 16, 64}) {
          Load.Result r = Load.run("raw jnats request/reply", c, 1_000_000, seconds,
              () -> client.request("bench.raw", raw, Duration.ofSeconds(5)) != null);
          Load.Result e = Load.run("signed echo via host", c, 1_000_000, seconds,
              () -> call(client, signer, origin, target, subject, payload));
          System.out.println(r.line());
          System.out.println(e.line());
          System.out.printf("  ratio at c=%d: %.0f%% of raw throughput%n", c, 100 * e.perSecond() / r.perSecond());
          if (Boolean.getBoolean("trellis.bench.detail")) {
            host.meterRegistry().find("trellis.actor.invocations").timers().forEach(t ->
                System.out.printf("  host: guest call mean %.1f us over %d calls%n", t.mean(java.util.concurrent.TimeUnit.MICROSECONDS), t.count()));
            host.meterRegistry().find("trellis.actor.queue.wait").timers().forEach(t ->
                System.out.printf("  host: queue wait mean %.1f us%n", t.mean(java.util.concurrent.TimeUnit.MICROSECONDS)));
          }
        }
      }
    }
  }

  static boolean call(Connection nc, InvocationSigner signer, WasmCloudEntity origin, WasmCloudEntity target,
      String subject, byte[] payload) throws Exception {
    byte[] bytes = InvocationCodec.encode(signer.sign(origin, target, HttpRequest.OPERATION, payload));
    var msg = nc.request(subject, bytes, Duration.ofSeconds(5));
    InvocationResponse r = InvocationCodec.decodeResponse(msg.getData());
    return r.isSuccess() && r.msg().length > 0;
  }
}
