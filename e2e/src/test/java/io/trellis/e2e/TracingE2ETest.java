package io.trellis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.trellis.e2e.OtlpReceiver.Received;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.par.ProviderArchive;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One trace across processes (PROTOCOL.md §16.2): a host and real provider processes export their
 * spans over OTLP to an in-test receiver, and each request's spans must form one parent/child
 * chain, HTTP client → httpserver provider → host → actor → keyvalue provider, and actor → actor.
 */
class TracingE2ETest {
  @TempDir static Path dir;
  static NatsServer nats;
  static OtlpReceiver otlp;
  static Host host;
  static final KeyPair CLUSTER = KeyPair.generate(KeyType.CLUSTER);
  static String httpserver;

  @BeforeAll
  static void start() throws Exception {
    nats = NatsServer.start();
    otlp = new OtlpReceiver();
    host =
        TestHosts.start(
            nats,
            CLUSTER,
            dir,
            Map.of(
                "TRELLIS_PROVIDER_HEALTH_INTERVAL_MS", "500",
                "OTEL_TRACES_EXPORTER", "otlp",
                "OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint(),
                "OTEL_BSP_SCHEDULE_DELAY", "100"));
    httpserver = startProvider("httpserver");
  }

  @AfterAll
  static void stop() throws Exception {
    host.stop(Duration.ofSeconds(10));
    otlp.close();
    nats.close();
  }

  static String startProvider(String name) {
    byte[] par = Lattice.par(name);
    host.providers().start(par, Lattice.parRef(name), "default", "", Map.of());
    String pk = ProviderArchive.read(par).publicKey();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> host.providers().isHealthy(pk, "default"));
    return pk;
  }

  static int serve(String actor) {
    int port = FreePorts.allocate();
    host.lattice()
        .putLink(
            LinkDefinition.of(
                actor,
                httpserver,
                "default",
                Contracts.HTTP_SERVER,
                Map.of("ADDRESS", "127.0.0.1:" + port)));
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              String r = Lattice.tryGet(port, "/");
              return !r.startsWith("ERR") && !r.startsWith("503");
            });
    return port;
  }

  /** A GET carrying a traceparent of the test's own: its trace id and the client's span id. */
  static String[] tracedGet(int port, String path, int expectStatus) throws Exception {
    HexFormat hex = HexFormat.of();
    byte[] t = new byte[16];
    byte[] s = new byte[8];
    ThreadLocalRandom.current().nextBytes(t);
    ThreadLocalRandom.current().nextBytes(s);
    String traceId = hex.formatHex(t);
    String clientSpan = hex.formatHex(s);
    HttpResponse<String> r =
        Lattice.HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("traceparent", "00-" + traceId + "-" + clientSpan + "-01")
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(expectStatus, r.statusCode(), r.body());
    return new String[] {traceId, clientSpan};
  }

  /** Waits until {@code parent} has a child whose name starts with {@code name}; returns it. */
  static Received child(String traceId, String parentId, String service, String name) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                otlp.spans().stream()
                    .filter(
                        s ->
                            s.traceId().equals(traceId)
                                && s.parentId().equals(parentId)
                                && s.name().startsWith(name)
                                && s.service().equals(service))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  static Received chain(String traceId, String parentId, String service, String name) {
    try {
      return child(traceId, parentId, service, name);
    } catch (ConditionTimeoutException e) {
      List<Received> mine = otlp.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
      return fail(
          "no span '"
              + name
              + "' of "
              + service
              + " under "
              + parentId
              + " in trace "
              + traceId
              + "; the trace has: "
              + mine);
    }
  }

  @Test
  void httpToActorToKeyValueProviderIsOneTrace() throws Exception {
    String kv = Lattice.actor(host, "kvcounter");
    String keyvalue = startProvider("keyvalue");
    host.lattice()
        .putLink(
            LinkDefinition.of(
                kv, keyvalue, "default", Contracts.KEY_VALUE, Map.of("bucket", "traced")));
    int port = serve(kv);
    String[] ids = tracedGet(port, "/visits", 200);
    String trace = ids[0];
    Received http = chain(trace, ids[1], "HttpServerProvider", "HTTP GET");
    Received sent = chain(trace, http.spanId(), "HttpServerProvider", "invoke HttpServer.");
    Received received = chain(trace, sent.spanId(), "trellis-host", "receive HttpServer.");
    Received actorCall = chain(trace, received.spanId(), "trellis-host", "actor call");
    Received hostCall =
        chain(trace, actorCall.spanId(), "trellis-host", "host call wasmcloud:keyvalue");
    chain(trace, hostCall.spanId(), "KeyValueProvider", "handle KeyValue.");
  }

  @Test
  void actorToActorIsOneTrace() throws Exception {
    Lattice.actor(host, "ponger");
    int port = serve(Lattice.actor(host, "pinger"));
    String[] ids = tracedGet(port, "/", 200);
    String trace = ids[0];
    Received http = chain(trace, ids[1], "HttpServerProvider", "HTTP GET");
    Received sent = chain(trace, http.spanId(), "HttpServerProvider", "invoke");
    Received received = chain(trace, sent.spanId(), "trellis-host", "receive");
    Received actorCall = chain(trace, received.spanId(), "trellis-host", "actor call");
    Received hostCall = chain(trace, actorCall.spanId(), "trellis-host", "host call");
    Received ponger = chain(trace, hostCall.spanId(), "trellis-host", "receive Pingpong.Ping");
    chain(trace, ponger.spanId(), "trellis-host", "actor call Pingpong.Ping");
  }
}
