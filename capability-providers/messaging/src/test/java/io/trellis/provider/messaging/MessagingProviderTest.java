package io.trellis.provider.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Message;
import io.nats.client.Subscription;
import io.trellis.provider.sdk.ProviderRunner;
import io.trellis.provider.sdk.RunningProvider;
import io.trellis.provider.testkit.FakeActor;
import io.trellis.provider.testkit.TestLattice;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.interfaces.Messaging;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.rpc.InvocationResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MessagingProviderTest {
  static NatsServer nats;

  TestLattice lattice;
  RunningProvider running;
  String pk;
  String actor;

  @BeforeAll
  static void up() {
    nats = NatsServer.start();
  }

  @AfterAll
  static void down() {
    nats.close();
  }

  @BeforeEach
  void start() {
    lattice = TestLattice.on(nats);
    pk = TestLattice.newProviderKey();
    actor = TestLattice.newActorKey();
    running = ProviderRunner.start(new MessagingProvider(), lattice.hostData(pk, List.of()));
  }

  @AfterEach
  void stop() {
    running.close();
    lattice.close();
  }

  byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  String subject(String s) {
    return lattice.prefix() + "." + s;
  }

  /** Links and waits until the provider answers calls from the actor. */
  void link(Map<String, String> values) {
    LinkDefinition l = TestLattice.link(actor, pk, Contracts.MESSAGING, values);
    lattice.putLink(l);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                !lattice
                    .call(actor, pk, Contracts.MESSAGING, "Nope.Nope", new byte[0])
                    .error()
                    .startsWith("unlinked actor"));
  }

  InvocationResponse call(String op, byte[] payload) {
    return lattice.call(actor, pk, Contracts.MESSAGING, op, payload);
  }

  @Test
  void publishGoesOutOnNats() throws Exception {
    link(Map.of());
    Subscription sub = lattice.connection().subscribe(subject("news"));
    lattice.connection().flush(Duration.ofSeconds(2));
    InvocationResponse r =
        call(
            Messaging.PUBLISH,
            new Messaging.Message(subject("news"), subject("replies"), bytes("hi")).toMsgPack());
    assertTrue(r.isSuccess(), r.error());
    assertEquals(0, r.msg().length);
    Message m = sub.nextMessage(Duration.ofSeconds(5));
    assertArrayEquals(bytes("hi"), m.getData());
    assertEquals(subject("replies"), m.getReplyTo());
  }

  @Test
  void requestReturnsTheReply() {
    link(Map.of());
    var d =
        lattice
            .connection()
            .createDispatcher(
                m ->
                    lattice
                        .connection()
                        .publish(
                            m.getReplyTo(),
                            ("re: " + new String(m.getData(), StandardCharsets.UTF_8))
                                .getBytes(StandardCharsets.UTF_8)));
    d.subscribe(subject("svc"));
    InvocationResponse r =
        call(
            Messaging.REQUEST,
            new Messaging.RequestMessage(subject("svc"), bytes("q"), 2000).toMsgPack());
    assertTrue(r.isSuccess(), r.error());
    Messaging.Message reply = Messaging.Message.fromMsgPack(r.msg());
    assertArrayEquals(bytes("re: q"), reply.body());
    lattice.connection().closeDispatcher(d);

    InvocationResponse none =
        call(
            Messaging.REQUEST,
            new Messaging.RequestMessage(subject("nobody"), bytes("q"), 500).toMsgPack());
    assertTrue(none.error().contains("no responders"), none.error());
  }

  @Test
  void subscriptionsAreDeliveredWithReplyToAndUnlinkUnsubscribes() throws Exception {
    try (FakeActor fake =
        lattice.actor(
            actor,
            (inv, payload) -> {
              Messaging.Message m = Messaging.Message.fromMsgPack(payload);
              if (m.replyTo() != null) {
                lattice.connection().publish(m.replyTo(), bytes("handled " + m.subject()));
              }
              return FakeActor.ok(new byte[0]);
            })) {
      link(Map.of("SUBSCRIPTION", subject("orders.*") + "," + subject("jobs") + "|workers"));
      Message reply =
          lattice
              .connection()
              .request(subject("orders.42"), bytes("new order"), Duration.ofSeconds(5));
      assertEquals(
          "handled " + subject("orders.42"), new String(reply.getData(), StandardCharsets.UTF_8));
      FakeActor.Received got = fake.received().get(0);
      assertEquals(Messaging.HANDLE_MESSAGE, got.invocation().operation());
      Messaging.Message delivered = Messaging.Message.fromMsgPack(got.payload());
      assertArrayEquals(bytes("new order"), delivered.body());
      assertTrue(delivered.replyTo().startsWith("_INBOX."), delivered.replyTo());
      assertEquals(List.of(), fake.rejected());

      lattice.connection().publish(subject("jobs"), bytes("job"));
      await().atMost(Duration.ofSeconds(5)).until(() -> fake.received().size() == 2);
      assertNull(Messaging.Message.fromMsgPack(fake.received().get(1).payload()).replyTo());

      lattice.deleteLink(TestLattice.link(actor, pk, Contracts.MESSAGING, Map.of()));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  call(
                              Messaging.PUBLISH,
                              new Messaging.Message(subject("x"), null, new byte[0]).toMsgPack())
                          .error()
                      != null);
      Message none =
          lattice.connection().request(subject("orders.43"), bytes("late"), Duration.ofMillis(300));
      assertTrue(none == null || none.isStatusMessage(), "nobody subscribes after the unlink");
      assertEquals(2, fake.received().size());
    }
  }

  @Test
  void theLatticeSubjectsAreFencedOff() {
    link(Map.of());
    InvocationResponse r =
        call(
            Messaging.PUBLISH,
            new Messaging.Message(
                    "wasmbus.ctl." + lattice.prefix() + ".cmd.x.stop", null, new byte[0])
                .toMsgPack());
    assertTrue(r.error().contains("not allowed on the lattice connection"), r.error());
    assertThrows(
        io.trellis.wasmbus.LatticeException.class, () -> SubjectGuard.check(">", "subscribing"));
    assertThrows(
        io.trellis.wasmbus.LatticeException.class,
        () -> SubjectGuard.check("$KV.LATTICEDATA_default.x", "publishing"));
    SubjectGuard.check("orders.wasmbus", "publishing");
    // a link that subscribes to the lattice is refused, and the actor stays unlinked
    String other = TestLattice.newActorKey();
    lattice.putLink(
        TestLattice.link(other, pk, Contracts.MESSAGING, Map.of("SUBSCRIPTION", "wasmbus.rpc.>")));
    // Link messages are handled one at a time, in order: once an actor linked after it is linked,
    // the refused put has been handled too.
    String barrier = TestLattice.newActorKey();
    lattice.putLink(TestLattice.link(barrier, pk, Contracts.MESSAGING, Map.of()));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                lattice
                    .call(
                        barrier,
                        pk,
                        Contracts.MESSAGING,
                        Messaging.PUBLISH,
                        new Messaging.Message(subject("a"), null, new byte[0]).toMsgPack())
                    .isSuccess());
    assertTrue(
        lattice
            .call(
                other,
                pk,
                Contracts.MESSAGING,
                Messaging.PUBLISH,
                new Messaging.Message(subject("a"), null, new byte[0]).toMsgPack())
            .error()
            .startsWith("unlinked actor"));
  }

  @Test
  void aUriLinkUsesItsOwnConnection() throws Exception {
    link(Map.of("URI", nats.url(), "SUBSCRIPTION", subject("own")));
    Subscription sub = lattice.connection().subscribe("wasmbus.own-server-test");
    lattice.connection().flush(Duration.ofSeconds(2));
    // on its own connection the actor is not fenced: the server is its business
    InvocationResponse r =
        call(
            Messaging.PUBLISH,
            new Messaging.Message("wasmbus.own-server-test", null, bytes("x")).toMsgPack());
    assertTrue(r.isSuccess(), r.error());
    assertArrayEquals(bytes("x"), sub.nextMessage(Duration.ofSeconds(5)).getData());
  }

  @Test
  void settingsFollowTheWasmCloudNames() {
    MessagingSettings s =
        MessagingSettings.from(
            Map.of("subscription", "a.b, c.d|q", "uri", "127.0.0.1:4222,nats://h:1"));
    assertEquals(
        List.of(
            new MessagingSettings.Subscription("a.b", null),
            new MessagingSettings.Subscription("c.d", "q")),
        s.subscriptions());
    assertEquals(List.of("nats://127.0.0.1:4222", "nats://h:1"), s.servers());
    assertFalse(s.usesLatticeConnection());
    MessagingSettings j =
        MessagingSettings.from(
            Map.of(
                "config_json",
                "{\"subscriptions\":[\"x\"],\"auth_jwt\":\"j\",\"auth_seed\":\"SUAX\"}"));
    assertEquals("x", j.subscriptions().get(0).subject());
    assertFalse(j.toString().contains("SUAX"), "the seed is never shown");
    assertThrows(
        io.trellis.provider.sdk.InvalidLinkValueException.class,
        () -> MessagingSettings.from(Map.of("CLIENT_JWT", "j")));
  }

  @Test
  void configB64WorksWithoutPaddingAndConfigJsonComesFirst() {
    String doc = "{\"subscriptions\":[\"b64.xy\"]}";
    String padded = Base64.getEncoder().encodeToString(doc.getBytes(StandardCharsets.UTF_8));
    assertTrue(padded.endsWith("=="), "the document needs two padding characters: " + padded);
    String unpadded = padded.replace("=", "");
    // with too little padding too: httpserver always accepted it
    for (String b64 : List.of(padded, unpadded, unpadded + "=")) {
      assertEquals(
          List.of(new MessagingSettings.Subscription("b64.xy", null)),
          MessagingSettings.from(Map.of("config_b64", b64)).subscriptions(),
          b64);
    }
    MessagingSettings both =
        MessagingSettings.from(
            Map.of("config_b64", padded, "config_json", "{\"subscriptions\":[\"json.x\"]}"));
    assertEquals(
        List.of(new MessagingSettings.Subscription("json.x", null)),
        both.subscriptions(),
        "config_json wins, as in httpserver");
    var e =
        assertThrows(
            io.trellis.provider.sdk.InvalidLinkValueException.class,
            () ->
                MessagingSettings.from(
                    Map.of("config_json", "{\"subscriptions\":\"one.subject\"}")));
    assertEquals(
        "config_json subscriptions=\"one.subject\" is not an array of strings", e.getMessage());
  }
}
