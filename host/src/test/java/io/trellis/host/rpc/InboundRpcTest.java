package io.trellis.host.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.trellis.host.FakeProvider;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.host.runtime.Fixtures;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.SpecVectors;
import io.trellis.wasmbus.claims.Claims;
import io.trellis.wasmbus.claims.ClaimsCodec;
import io.trellis.wasmbus.claims.InvocationMetadata;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.jwt.Jwt;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.rpc.Invocation;
import io.trellis.wasmbus.rpc.InvocationCodec;
import io.trellis.wasmbus.rpc.InvocationResponse;
import io.trellis.wasmbus.rpc.InvocationSigner;
import io.trellis.wasmbus.rpc.WasmCloudEntity;
import io.trellis.wasmbus.subjects.Subjects;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provider-to-actor invocations over a real nats-server, and every inbound rejection. */
class InboundRpcTest {
  @TempDir static Path dir;
  static NatsServer nats;
  static Connection client;
  static final KeyPair CLUSTER = KeyPair.generate(KeyType.CLUSTER);
  static Host host;
  static FakeProvider httpserver;
  static String echo;

  @BeforeAll
  static void start() {
    nats = NatsServer.start();
    client = nats.connect();
    host = TestHosts.start(nats, CLUSTER, dir);
    echo =
        host.actors().start(Fixtures.dist("echo"), "file://echo.wasm", 2, Map.of()).isEmpty()
            ? null
            : host.actors().running().keySet().iterator().next();
    httpserver = new FakeProvider(client, "default", CLUSTER, Contracts.HTTP_SERVER);
  }

  @AfterAll
  static void stop() throws Exception {
    host.close();
    client.close();
    nats.close();
  }

  static double rejected(String kind) {
    var c = host.meterRegistry().find("trellis.rpc.rejected").tag("kind", kind).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void signedInvocationFromAProviderReachesEcho() throws Exception {
    InvocationResponse r =
        httpserver.call(
            echo, "HttpServer.HandleRequest", SpecVectors.hex(SpecVectors.ECHO_REQUEST_HEX));
    assertNull(r.error());
    assertEquals(SpecVectors.ECHO_RESPONSE_HEX, HexFormat.of().formatHex(r.msg()));
  }

  @Test
  void tamperedHashIsRejectedAndTheHostKeepsServing() throws Exception {
    double before = rejected("hash_mismatch");
    Invocation inv =
        httpserver.sign(
            echo, "HttpServer.HandleRequest", SpecVectors.hex(SpecVectors.ECHO_REQUEST_HEX));
    byte[] tampered = inv.msg().clone();
    tampered[tampered.length - 1] ^= 1; // same length, one bit different
    InvocationResponse r = httpserver.call(echo, inv.withMsg(tampered), Duration.ofSeconds(5));
    assertTrue(
        r.error().startsWith("Invocation hash does not match signed claims hash"), r.error());
    assertEquals(before + 1, rejected("hash_mismatch"));
    signedInvocationFromAProviderReachesEcho();
  }

  @Test
  void unknownIssuerIsRejected() throws Exception {
    KeyPair rogue = KeyPair.generate(KeyType.CLUSTER);
    Invocation inv =
        new InvocationSigner(rogue, rogue.publicKey())
            .sign(
                httpserver.entity(),
                WasmCloudEntity.actor(echo),
                "HttpServer.HandleRequest",
                new byte[0]);
    InvocationResponse r = httpserver.call(echo, inv, Duration.ofSeconds(5));
    assertTrue(
        r.error().startsWith("Issuer of this invocation is not among the list of valid issuers"),
        r.error());
    assertTrue(r.error().contains(rogue.publicKey()));
  }

  @Test
  void expiredTokenIsRejected() throws Exception {
    Invocation inv = httpserver.sign(echo, "HttpServer.HandleRequest", new byte[0]);
    Claims<InvocationMetadata> c =
        ClaimsCodec.parseInvocation(Jwt.decode(inv.encodedClaims()).claimsJson());
    String expired =
        Jwt.sign(
            ClaimsCodec.toJson(
                new Claims<>(
                    c.jti(),
                    c.issuedAt(),
                    c.issuer(),
                    c.subject(),
                    c.issuedAt() - 3600,
                    null,
                    c.metadata(),
                    3)),
            CLUSTER);
    Invocation old =
        new Invocation(
            inv.origin(),
            inv.target(),
            inv.operation(),
            inv.msg(),
            inv.id(),
            expired,
            inv.hostId(),
            inv.contentLength(),
            null);
    InvocationResponse r = httpserver.call(echo, old, Duration.ofSeconds(5));
    assertTrue(
        r.error().startsWith("Anti-forgery check failed: Invocation claims token expired"),
        r.error());
  }

  @Test
  void invocationForAnotherActorIsRejected() throws Exception {
    String other = KeyPair.generate(KeyType.MODULE).publicKey();
    Invocation inv = httpserver.sign(other, "HttpServer.HandleRequest", new byte[0]);
    // delivered on echo's subject, but signed for (and addressed to) another actor
    byte[] reply =
        client
            .request(
                Subjects.actorRpc("default", echo),
                InvocationCodec.encode(inv),
                Duration.ofSeconds(5))
            .getData();
    InvocationResponse r = InvocationCodec.decodeResponse(reply);
    assertTrue(
        r.error().contains("is addressed to " + other + " but was received by " + echo), r.error());
  }

  @Test
  void garbageIsRejectedAsUndecodable() throws Exception {
    byte[] reply =
        client
            .request(
                Subjects.actorRpc("default", echo),
                new byte[] {(byte) 0xc1, 1, 2},
                Duration.ofSeconds(5))
            .getData();
    assertTrue(
        InvocationCodec.decodeResponse(reply)
            .error()
            .startsWith("Failed to deserialize invocation"));
  }

  @Test
  void actorWithoutTheOriginsContractIsProtected() throws Exception {
    host.actors().start(Fixtures.dist("echo_unprivileged"), "", 1, Map.of());
    String unpriv =
        host.actors().running().entrySet().stream()
            .filter(e -> e.getValue().actor().module().name().equals("echo_unprivileged"))
            .findFirst()
            .orElseThrow()
            .getKey();
    InvocationResponse r =
        httpserver.call(
            unpriv, "HttpServer.HandleRequest", SpecVectors.hex(SpecVectors.ECHO_REQUEST_HEX));
    assertTrue(
        r.error()
            .startsWith(
                "Invocation source does not have the required capability claim wasmcloud:httpserver"),
        r.error());
    // an actor origin (no contract) is allowed: actor-to-actor calls are not capability-checked at
    // the callee
    Invocation fromActor =
        new InvocationSigner(CLUSTER, CLUSTER.publicKey())
            .sign(
                WasmCloudEntity.actor(KeyPair.generate(KeyType.MODULE).publicKey()),
                WasmCloudEntity.actor(unpriv),
                "Actor.HealthRequest",
                new byte[] {(byte) 0x80});
    assertNull(httpserver.call(unpriv, fromActor, Duration.ofSeconds(5)).error());
  }

  @Test
  void guestErrorsComeBackAsInvocationErrors() throws Exception {
    InvocationResponse r = httpserver.call(echo, "HttpServer.Nope", new byte[] {(byte) 0x80});
    assertTrue(r.error().contains("method not handled"), r.error());
  }
}
