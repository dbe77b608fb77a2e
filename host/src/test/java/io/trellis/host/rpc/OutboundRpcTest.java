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
import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.interfaces.HttpResponse;
import io.trellis.wasmbus.interfaces.KeyValue;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.msgpack.MsgPackValues;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.rpc.InvocationResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Actor host calls routed over the lattice: links, aliases, and every distinct failure. */
class OutboundRpcTest {
  @TempDir static Path dir;
  static NatsServer nats;
  static Connection client;
  static final KeyPair CLUSTER = KeyPair.generate(KeyType.CLUSTER);
  static Host host;
  static FakeProvider httpserver;

  @BeforeAll
  static void start() {
    nats = NatsServer.start();
    client = nats.connect();
    host = TestHosts.start(nats, CLUSTER, dir, Map.of("WASMCLOUD_RPC_TIMEOUT_MS", "500"));
    httpserver = new FakeProvider(client, "default", CLUSTER, Contracts.HTTP_SERVER);
  }

  @AfterAll
  static void stop() throws Exception {
    host.close();
    client.close();
    nats.close();
  }

  /**
   * Starts a sample actor re-signed with a fresh module key (same claims otherwise), so each test
   * has an actor, and links, that no other test touches: the tests pass in any order.
   */
  static String startActor(String name) {
    byte[] sample = Fixtures.dist(name);
    ActorMetadata meta = ModuleClaims.verify(sample, Instant.now()).claims().metadata();
    KeyPair moduleKey = KeyPair.generate(KeyType.MODULE);
    host.actors()
        .start(
            ModuleClaims.sign(
                sample,
                meta,
                Fixtures.ACCOUNT,
                moduleKey,
                Instant.now().getEpochSecond(),
                "outbound-rpc-test",
                null,
                null),
            "",
            1,
            Map.of());
    assertTrue(host.actors().running().containsKey(moduleKey.publicKey()), name + " is running");
    return moduleKey.publicKey();
  }

  static HttpResponse get(String actor, String path, String query) throws Exception {
    InvocationResponse r =
        httpserver.call(
            actor,
            HttpRequest.OPERATION,
            new HttpRequest("GET", path, query, Map.of(), new byte[0]).toMsgPack());
    assertNull(r.error(), r.error());
    return HttpResponse.fromMsgPack(r.msg());
  }

  static String body(HttpResponse r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void kvcounterReachesItsLinkedProvider() throws Exception {
    String kv = startActor("kvcounter");
    try (FakeProvider keyvalue =
        new FakeProvider(client, "default", CLUSTER, Contracts.KEY_VALUE)) {
      keyvalue.serve(
          inv -> {
            KeyValue.IncrementRequest req = KeyValue.IncrementRequest.fromMsgPack(inv.msg());
            return InvocationResponse.success(inv.id(), MsgPackValues.integer(40 + req.value()));
          });
      // no link yet: the actor is told exactly what is missing
      HttpResponse unlinked = get(kv, "/foo/bar", "amount=2");
      assertEquals(500, unlinked.statusCode());
      // OTP's wording first (an actor may match on it), then what is missing
      assertTrue(
          body(unlinked)
              .contains(
                  "Host send error Invocation not authorized: missing link definition for"
                      + " wasmcloud:keyvalue on default ("),
          body(unlinked));
      assertTrue(body(unlinked).contains("trellis ctl link put " + kv), body(unlinked));

      host.lattice()
          .putLink(
              LinkDefinition.of(
                  kv, keyvalue.publicKey(), "default", Contracts.KEY_VALUE, Map.of()));
      HttpResponse ok = get(kv, "/foo/bar", "amount=2");
      assertEquals("{\"counter\":42}", body(ok));
      var inv = keyvalue.received.getLast();
      assertEquals(kv, inv.origin().publicKey());
      assertEquals(KeyValue.INCREMENT, inv.operation());
      assertEquals(
          host.id(),
          inv.hostId(),
          "host-originated invocations carry this host's N key (PROTOCOL.md §13 item 4)");
      assertEquals(
          "82a36b6579b0636f756e7465723a3a666f6f3a626172a576616c756502",
          HexFormat.of().formatHex(inv.msg()));
    }
  }

  @Test
  void noRespondersTimeoutsAndProviderErrorsAreDistinct() throws Exception {
    String kv = startActor("kvcounter");
    KeyPair absent = KeyPair.generate(KeyType.SERVICE);
    host.lattice()
        .putLink(
            LinkDefinition.of(kv, absent.publicKey(), "default", Contracts.KEY_VALUE, Map.of()));
    String noResponders = body(get(kv, "/x", ""));
    // OTP said "request timeout" for no responders too; Trellis keeps that start and says which
    assertTrue(
        noResponders.contains("Failed to perform RPC call: request timeout (no responders")
            && noResponders.contains(absent.publicKey())
            && noResponders.contains("is the provider running?"),
        noResponders);

    try (FakeProvider silent = new FakeProvider(client, "default", CLUSTER, Contracts.KEY_VALUE);
        FakeProvider failing = new FakeProvider(client, "default", CLUSTER, Contracts.KEY_VALUE)) {
      silent.serve(inv -> null);
      host.lattice()
          .putLink(
              LinkDefinition.of(kv, silent.publicKey(), "default", Contracts.KEY_VALUE, Map.of()));
      String timeout = body(get(kv, "/x", ""));
      assertTrue(
          timeout.contains("Failed to perform RPC call: request timeout (provider ")
              && timeout.contains("within 500 ms)"),
          timeout);

      failing.serve(inv -> InvocationResponse.failure(inv.id(), "bucket counters is read-only"));
      host.lattice()
          .putLink(
              LinkDefinition.of(kv, failing.publicKey(), "default", Contracts.KEY_VALUE, Map.of()));
      assertEquals(
          "{\"error\":\"Host send error bucket counters is read-only\"}", body(get(kv, "/x", "")));
    }
  }

  @Test
  void pingerCallsPongerByAliasAcrossTheLattice() throws Exception {
    startActor("ponger");
    String pinger = startActor("pinger");
    InvocationResponse r =
        httpserver.call(
            pinger, HttpRequest.OPERATION, SpecVectors.hex(SpecVectors.ECHO_REQUEST_HEX));
    assertNull(r.error(), r.error());
    assertEquals(SpecVectors.PINGER_RESPONSE_HEX, HexFormat.of().formatHex(r.msg()));
  }

  @Test
  void aLinkNeverGrantsACapabilityTheActorIsNotSignedWith() throws Exception {
    // A contract id without ':' cannot be told from a call alias before routing, so the router
    // itself must check the caps once a link is found.
    KeyPair moduleKey = KeyPair.generate(KeyType.MODULE);
    host.actors()
        .start(
            Fixtures.sign(
                Fixtures.wat("host_calls"),
                "host_calls",
                moduleKey,
                null,
                null,
                Contracts.HTTP_SERVER),
            "",
            1,
            Map.of());
    String actor = moduleKey.publicKey();
    try (FakeProvider acme = new FakeProvider(client, "default", CLUSTER, "acme")) {
      acme.serve(
          inv -> InvocationResponse.success(inv.id(), "served".getBytes(StandardCharsets.UTF_8)));
      host.lattice()
          .putLink(LinkDefinition.of(actor, acme.publicKey(), "default", "acme", Map.of()));
      InvocationResponse r =
          httpserver.call(actor, "Op.Run", "acme".getBytes(StandardCharsets.UTF_8));
      assertNull(r.error(), r.error());
      assertEquals(
          "ERR:Invocation not authorized: missing capability claim for acme (actor "
              + actor
              + " is not signed with it)",
          new String(r.msg(), StandardCharsets.UTF_8));
      assertTrue(acme.received.isEmpty(), "nothing reached the provider");
    }
  }

  @Test
  void unknownAliasSaysSo() throws Exception {
    // A lattice of its own, where no actor has claimed wasmcloud/ponger.
    try (Host lonely =
        TestHosts.start(nats, CLUSTER, dir, Map.of("WASMCLOUD_LATTICE_PREFIX", "lonely"))) {
      lonely.actors().start(Fixtures.dist("pinger"), "", 1, Map.of());
      String pinger = lonely.actors().running().keySet().iterator().next();
      FakeProvider lonelyHttp = new FakeProvider(client, "lonely", CLUSTER, Contracts.HTTP_SERVER);
      InvocationResponse r =
          lonelyHttp.call(
              pinger,
              HttpRequest.OPERATION,
              new HttpRequest("GET", "/", "", Map.of(), new byte[0]).toMsgPack());
      String text = body(HttpResponse.fromMsgPack(r.msg()));
      // OTP 0.63 gives an unknown alias the missing-link text
      assertTrue(
          text.contains(
              "Invocation not authorized: missing link definition for wasmcloud/ponger on lonely"
                  + " (no actor in this lattice has claimed the call alias"),
          text);
    }
  }
}
