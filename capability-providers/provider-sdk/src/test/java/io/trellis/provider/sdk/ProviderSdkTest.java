package io.trellis.provider.sdk;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.provider.testkit.FakeActor;
import io.trellis.provider.testkit.TestLattice;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.interfaces.Health.HealthResponse;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.provider.HostData;
import io.trellis.wasmbus.rpc.Invocation;
import io.trellis.wasmbus.rpc.InvocationResponse;
import io.trellis.wasmbus.rpc.InvocationSigner;
import io.trellis.wasmbus.rpc.WasmCloudEntity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProviderSdkTest {
  static final String CONTRACT = "trellis:test";
  static NatsServer nats;

  TestLattice lattice;
  RecordingProvider provider;
  RunningProvider running;
  String pk;
  String actor;
  LinkDefinition link;

  @BeforeAll
  static void up() {
    nats = NatsServer.start();
  }

  @AfterAll
  static void down() {
    nats.close();
  }

  @BeforeEach
  void startProvider() {
    lattice = TestLattice.on(nats);
    pk = TestLattice.newProviderKey();
    actor = TestLattice.newActorKey();
    link = TestLattice.link(actor, pk, CONTRACT, Map.of("k", "v"));
    provider = new RecordingProvider();
    running = ProviderRunner.start(provider, lattice.hostData(pk, List.of(link)));
  }

  @AfterEach
  void stop() {
    running.close();
    lattice.close();
  }

  byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aCorrectlySignedInvocationIsAnswered() {
    assertTrue(provider.started);
    assertEquals(
        List.of("put " + actor + " {k=v}"),
        provider.events,
        "links from HostData are delivered at start");
    InvocationResponse r = lattice.call(actor, pk, CONTRACT, "Test.Echo", bytes("hello"));
    assertTrue(r.isSuccess(), r.error());
    assertArrayEquals(bytes("hello"), r.msg());
    assertEquals(5L, r.contentLength());
  }

  @Test
  void largePayloadsAreChunkedBothWays() {
    byte[] big = new byte[1024 * 1024 + 3];
    Arrays.fill(big, (byte) 7);
    InvocationResponse echo = lattice.call(actor, pk, CONTRACT, "Test.Echo", big);
    assertTrue(echo.isSuccess(), echo.error());
    assertArrayEquals(big, echo.msg());
    InvocationResponse generated = lattice.call(actor, pk, CONTRACT, "Test.Big", new byte[0]);
    assertEquals(1024 * 1024 + 7, generated.msg().length);
  }

  @Test
  void eachRejectionHasItsOwnErrorText() {
    // signed by a cluster key the host did not list
    Invocation foreign =
        new InvocationSigner(KeyPair.generate(KeyType.CLUSTER), lattice.hostId())
            .sign(
                WasmCloudEntity.actor(actor),
                WasmCloudEntity.provider(pk, CONTRACT, "default"),
                "Test.Echo",
                bytes("x"));
    assertError(
        lattice.invoke(pk, foreign),
        "Issuer of this invocation is not among the list of valid issuers");

    Invocation tampered = lattice.signedCall(actor, pk, CONTRACT, "Test.Echo", bytes("pay 1"));
    tampered = tampered.withMsg(bytes("pay 9"));
    assertError(lattice.invoke(pk, tampered), "Invocation hash does not match signed claims hash");

    String otherProvider = TestLattice.newProviderKey();
    Invocation elsewhere =
        lattice.signedCall(actor, otherProvider, CONTRACT, "Test.Echo", bytes("x"));
    assertError(
        lattice.invoke(pk, elsewhere),
        "Invocation is addressed to " + otherProvider + " but was received by " + pk);

    String stranger = TestLattice.newActorKey();
    assertError(
        lattice.call(stranger, pk, CONTRACT, "Test.Echo", bytes("x")),
        "unlinked actor: '" + stranger + "'");

    InvocationResponse garbage = lattice.invokeRaw(pk, bytes("not msgpack"), Duration.ofSeconds(5));
    assertTrue(garbage.error().startsWith("deser error: "), garbage.error());
    assertEquals("", garbage.invocationId());
  }

  @Test
  void handlerFailuresBecomeErrorsAndNeverStopTheProvider() {
    assertError(
        lattice.call(actor, pk, CONTRACT, "Test.Fail", new byte[0]),
        "the handler failed on purpose");
    assertError(
        lattice.call(actor, pk, CONTRACT, "Test.Nope", new byte[0]),
        "method not handled: 'Test.Nope'");
    assertTrue(lattice.call(actor, pk, CONTRACT, "Test.Echo", bytes("still here")).isSuccess());
  }

  @Test
  void linkPutsAreIdempotentButChangedValuesAreApplied() {
    provider.events.clear();
    lattice.putLink(link);
    lattice.putLink(link); // duplicates, as every host re-publishes
    LinkDefinition changed = TestLattice.link(actor, pk, CONTRACT, Map.of("k", "w"));
    lattice.putLink(changed);
    await().atMost(Duration.ofSeconds(5)).until(() -> provider.events.size() >= 2);
    assertEquals(List.of("del " + actor + " {k=v}", "put " + actor + " {k=w}"), provider.events);
    assertEquals(
        Map.of("k", "w"),
        running instanceof ProviderHost h
            ? h.context().link(actor).orElseThrow().values()
            : Map.of());

    lattice.deleteLink(changed);
    lattice.deleteLink(changed);
    linkBarrier();
    assertEquals("del " + actor + " {k=w}", provider.events.get(2));
    assertError(lattice.call(actor, pk, CONTRACT, "Test.Echo", new byte[0]), "unlinked actor");
    assertEquals(3, eventsOf(actor).size(), "the second delete changed nothing");

    // a put the provider refuses leaves the actor unlinked
    lattice.putLink(TestLattice.link(actor, pk, CONTRACT, Map.of("fail", "1")));
    linkBarrier();
    assertError(lattice.call(actor, pk, CONTRACT, "Test.Echo", new byte[0]), "unlinked actor");
    assertEquals(3, eventsOf(actor).size(), "the refused put is not recorded as a link");
    lattice.putLink(link);
    await().atMost(Duration.ofSeconds(5)).until(() -> eventsOf(actor).size() >= 4);
    assertTrue(lattice.call(actor, pk, CONTRACT, "Test.Echo", new byte[0]).isSuccess());
  }

  /**
   * Links a fresh actor and waits until the provider saw it. Link messages are handled one at a
   * time in order, so every link message sent before has then been handled too.
   */
  void linkBarrier() {
    String barrier = TestLattice.newActorKey();
    lattice.putLink(TestLattice.link(barrier, pk, CONTRACT, Map.of()));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> provider.events.contains("put " + barrier + " {}"));
  }

  List<String> eventsOf(String actorId) {
    return provider.events.stream().filter(e -> e.contains(" " + actorId + " ")).toList();
  }

  @Test
  void healthRepliesWithMsgPackHealthy() {
    assertArrayEquals(new HealthResponse(true, null).toMsgPack(), lattice.healthBytes(pk));
    assertArrayEquals(
        new byte[] {(byte) 0x81, (byte) 0xa7, 'h', 'e', 'a', 'l', 't', 'h', 'y', (byte) 0xc3},
        lattice.healthBytes(pk));
  }

  @Test
  void shutdownForAnotherHostIsIgnored() {
    String other = KeyPair.generate(KeyType.SERVER).publicKey();
    assertNull(lattice.shutdown(pk, other, Duration.ofMillis(500)));
    assertTrue(running.isRunning());
    assertTrue(lattice.health(pk).healthy());

    assertEquals("shutting down", lattice.shutdown(pk, lattice.hostId(), Duration.ofSeconds(5)));
    // An OTP host kills the process as soon as it reads the reply: cleanup must be done before it.
    assertTrue(provider.stopped, "stopped before the reply");
    assertTrue(
        provider.events.contains("del " + actor + " {k=v}"),
        "links are torn down before the reply");
    assertTrue(running.awaitShutdown(Duration.ofSeconds(10)));
    assertFalse(running.isRunning());
  }

  @Test
  void anUnreadableShutdownBodyShutsDownAsWasmbusRpcDoes() throws Exception {
    var reply =
        lattice
            .connection()
            .request(
                io.trellis.wasmbus.subjects.Subjects.shutdown(lattice.prefix(), pk, "default"),
                bytes("not json"),
                Duration.ofSeconds(5));
    assertTrue(reply != null, "answered");
    assertEquals("shutting down", new String(reply.getData(), StandardCharsets.UTF_8));
    assertTrue(running.awaitShutdown(Duration.ofSeconds(10)));
  }

  @Test
  void anEmptyHostIdAlsoShutsDown() {
    assertEquals("shutting down", lattice.shutdown(pk, "", Duration.ofSeconds(5)));
    assertTrue(running.awaitShutdown(Duration.ofSeconds(10)));
  }

  @Test
  void callsToActorsAreSignedAndMapFailuresToTypes() {
    ProviderContext ctx = ((ProviderHost) running).context();
    try (FakeActor fake =
        lattice.actor(
            actor,
            (inv, payload) ->
                switch (new String(payload, StandardCharsets.UTF_8)) {
                  case "boom" -> FakeActor.fail("actor trapped");
                  case "hang" -> FakeActor.silent();
                  default ->
                      FakeActor.ok(bytes("pong:" + new String(payload, StandardCharsets.UTF_8)));
                })) {
      InvocationResponse r = lattice.call(actor, pk, CONTRACT, "Test.CallBack", bytes("ping"));
      assertTrue(r.isSuccess(), r.error());
      assertArrayEquals(bytes("pong:ping"), r.msg());
      Invocation seen = fake.received().get(0).invocation();
      assertEquals(WasmCloudEntity.provider(pk, CONTRACT, "default"), seen.origin());
      assertEquals(lattice.hostId(), seen.hostId());
      assertEquals("Test.Pong", seen.operation());
      assertEquals(List.of(), fake.rejected());

      byte[] big = new byte[950 * 1024];
      assertEquals(
          5 + big.length,
          ctx.callActor(actor, "Test.Pong", big).length,
          "a chunked call arrives whole");

      ActorCallException.ErrorResponse err =
          assertThrows(
              ActorCallException.ErrorResponse.class,
              () -> ctx.callActor(actor, "Test.Pong", bytes("boom")));
      assertEquals("actor trapped", err.getMessage());
      assertThrows(
          ActorCallException.Timeout.class,
          () -> ctx.callActor(actor, "Test.Pong", bytes("hang"), Duration.ofMillis(300)));
    }
    assertThrows(
        ActorCallException.Unreachable.class, () -> ctx.callActor(actor, "Test.Pong", bytes("x")));
    assertThrows(
        ActorCallException.NotLinked.class,
        () -> ctx.callActor(TestLattice.newActorKey(), "Test.Pong", bytes("x")));
  }

  @Test
  void badHostDataFailsFast() {
    HostData h = lattice.hostData("not-a-key", List.of());
    LatticeException e =
        assertThrows(
            LatticeException.class, () -> ProviderRunner.start(new RecordingProvider(), h));
    assertTrue(e.getMessage().contains("not-a-key"), e.getMessage());
  }

  @Test
  void aBadInvocationSeedIsNamedAsTheHostDataField() {
    String accountSeed = KeyPair.generate(KeyType.ACCOUNT).seed();
    HostData h = hostDataWith(json -> json.put("invocation_seed", accountSeed));
    LatticeException e =
        assertThrows(
            LatticeException.class, () -> ProviderRunner.start(new RecordingProvider(), h));
    assertTrue(
        e.getMessage().startsWith("HostData invocation_seed is not a cluster seed (SC...)"),
        e.getMessage());
    assertFalse(e.getMessage().contains(accountSeed), "the seed is never shown");
  }

  @Test
  void aBadClusterIssuerIsNamedAsTheHostDataField() {
    for (String bad : List.of("not-a-key", KeyPair.generate(KeyType.ACCOUNT).publicKey())) {
      HostData h =
          hostDataWith(
              json ->
                  json.putArray("cluster_issuers").add(lattice.clusterKey().publicKey()).add(bad));
      LatticeException e =
          assertThrows(
              LatticeException.class, () -> ProviderRunner.start(new RecordingProvider(), h));
      assertEquals(
          "HostData cluster_issuers entry '" + bad + "' is not a cluster public key (C...)",
          e.getMessage());
    }
  }

  /** This lattice's HostData with a field changed in its JSON, as a host would send it. */
  HostData hostDataWith(Consumer<ObjectNode> change) {
    ObjectNode json = lattice.hostData(pk, List.of()).toJsonNode();
    change.accept(json);
    return HostData.fromJson(json.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void linkValuesAreCaseInsensitiveAndTyped() {
    LinkValues v =
        LinkValues.of(
            Map.of("PORT", "8080", "max_content_len", "5m", "timeout_ms", "x", "list", "a, b,,c"));
    assertEquals(8080, v.getLong("port", 0));
    assertEquals(5L * 1024 * 1024, v.getSize("MAX_CONTENT_LEN", 0));
    assertEquals(List.of("a", "b", "c"), v.getList("LIST"));
    InvalidLinkValueException e =
        assertThrows(
            InvalidLinkValueException.class,
            () -> v.getMillis("timeout_ms", Duration.ofSeconds(1)));
    assertTrue(e.getMessage().contains("timeout_ms='x'"), e.getMessage());
    assertThrows(InvalidLinkValueException.class, () -> LinkValues.of(Map.of("a", "1", "A", "2")));
  }

  @Test
  void configJsonComesFirstThenConfigB64WithOrWithoutPadding() {
    String doc = "{\"a\":1}"; // base64 needs two '=' of padding
    String padded = Base64.getEncoder().encodeToString(bytes(doc));
    assertTrue(padded.endsWith("=="), padded);
    String unpadded = padded.replace("=", "");
    for (String b64 : List.of(padded, unpadded, unpadded + "=")) {
      assertEquals(
          1,
          LinkValues.of(Map.of("CONFIG_B64", b64)).configJson().orElseThrow().get("a").asInt(),
          b64);
    }
    LinkValues both = LinkValues.of(Map.of("config_json", "{\"a\":2}", "config_b64", padded));
    assertEquals(
        2, both.configJson().orElseThrow().get("a").asInt(), "config_json wins over config_b64");
    assertTrue(LinkValues.of(Map.of("k", "v")).configJson().isEmpty());

    InvalidLinkValueException notJson =
        assertThrows(
            InvalidLinkValueException.class,
            () ->
                LinkValues.of(
                        Map.of("config_b64", Base64.getEncoder().encodeToString(bytes("{oops"))))
                    .configJson());
    assertTrue(
        notJson.getMessage().startsWith("link value config_b64 is not valid JSON"),
        notJson.getMessage());
    InvalidLinkValueException notObject =
        assertThrows(
            InvalidLinkValueException.class,
            () -> LinkValues.of(Map.of("config_json", "[1]")).configJson());
    assertEquals("link value config_json must be a JSON object, got array", notObject.getMessage());
    InvalidLinkValueException notBase64 =
        assertThrows(
            InvalidLinkValueException.class,
            () -> LinkValues.of(Map.of("config_b64", "*not base64*")).configJson());
    assertTrue(
        notBase64.getMessage().startsWith("link value config_b64 is not base64"),
        notBase64.getMessage());
  }

  @Test
  void jsonListsAndTheStaticParsersMatchTheLinkValueOnes() {
    var doc =
        LinkValues.of(Map.of("config_json", "{\"subs\":[\"a\",\"b\"],\"n\":5,\"mixed\":[\"a\",1]}"))
            .configJson()
            .orElseThrow();
    assertEquals(List.of("a", "b"), LinkValues.jsonList(doc, "subs").orElseThrow());
    assertTrue(LinkValues.jsonList(doc, "absent").isEmpty());
    assertEquals(
        "config_json n=5 is not an array of strings",
        assertThrows(InvalidLinkValueException.class, () -> LinkValues.jsonList(doc, "n"))
            .getMessage());
    assertEquals(
        "config_json mixed holds 1, which is not a string",
        assertThrows(InvalidLinkValueException.class, () -> LinkValues.jsonList(doc, "mixed"))
            .getMessage());
    assertEquals(List.of("a", "b", "c"), LinkValues.splitList(" a, b,,c "));
    assertEquals(3L * 1024, LinkValues.parseSize("config_json size", "3K"));
    assertEquals(
        "config_json size='3x' is not a size (bytes, or a number with k, m or g)",
        assertThrows(
                InvalidLinkValueException.class,
                () -> LinkValues.parseSize("config_json size", "3x"))
            .getMessage());
  }

  static void assertError(InvocationResponse r, String expected) {
    assertFalse(r.isSuccess(), "expected an error containing: " + expected);
    assertTrue(r.error().contains(expected), "error was: " + r.error());
  }
}
