package io.trellis.wasmbus.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.trellis.testkit.NatsServer;
import io.trellis.testkit.TcpProxy;
import io.trellis.wasmbus.chunking.ChunkStore;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.rpc.RequestFailure.BadReply;
import io.trellis.wasmbus.rpc.RequestFailure.Cancelled;
import io.trellis.wasmbus.rpc.RequestFailure.ConnectionLost;
import io.trellis.wasmbus.rpc.RequestFailure.Failed;
import io.trellis.wasmbus.rpc.RequestFailure.NoResponders;
import io.trellis.wasmbus.rpc.RequestFailure.TimedOut;
import io.trellis.wasmbus.subjects.Subjects;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every way an invocation can end, against a real nats-server: the callee is a plain subscriber on
 * the actor's subject that decodes what arrives and answers as the test says.
 */
class InvocationClientTest {
  static final KeyPair CLUSTER = KeyPair.generate(KeyType.CLUSTER);
  static final WasmCloudEntity ORIGIN =
      WasmCloudEntity.provider(
          KeyPair.generate(KeyType.SERVICE).publicKey(), "wasmcloud:test", "default");
  static final Duration TIMEOUT = Duration.ofMillis(400);
  static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);
  static final AtomicInteger LATTICES = new AtomicInteger();

  static NatsServer nats;
  static Connection callee;

  /** The connection calls go out on; reports no-responders, like every Trellis connection. */
  Connection caller;

  String lattice;
  String actor;
  String subject;
  ChunkStore callerChunks;
  ChunkStore calleeChunks;
  InvocationClient client;
  final List<Invocation> received = new CopyOnWriteArrayList<>();
  final CountDownLatch arrived = new CountDownLatch(1);
  Dispatcher dispatcher;

  @BeforeAll
  static void startServer() {
    nats = NatsServer.start();
    callee = nats.connect();
  }

  @AfterAll
  static void stopServer() throws Exception {
    callee.close();
    nats.close();
  }

  @BeforeEach
  void freshLatticeAndActor() {
    // a bucket of its own per test, so "the object store is empty" means this test left nothing
    lattice = "inv" + LATTICES.incrementAndGet();
    actor = KeyPair.generate(KeyType.MODULE).publicKey();
    subject = Subjects.actorRpc(lattice, actor);
    caller = NatsServer.connect(nats.clientOptions().reportNoResponders());
    callerChunks = new ChunkStore(caller, lattice, null);
    calleeChunks = new ChunkStore(callee, lattice, null);
    client = new InvocationClient(caller, new InvocationSigner(CLUSTER, "NHOST"), callerChunks);
  }

  @AfterEach
  void closeCaller() throws Exception {
    if (dispatcher != null) {
      callee.closeDispatcher(dispatcher);
    }
    caller.close();
  }

  /** Subscribes the callee; {@code answer} returns the reply bytes, or null to stay silent. */
  void serve(Function<Invocation, byte[]> answer) throws Exception {
    dispatcher =
        callee.createDispatcher(
            m -> {
              Invocation inv = InvocationCodec.decodeInvocation(m.getData());
              received.add(inv);
              arrived.countDown();
              byte[] reply = answer.apply(inv);
              if (reply != null) {
                callee.publish(m.getReplyTo(), reply);
              }
            });
    dispatcher.subscribe(subject);
    callee.flush(Duration.ofSeconds(2));
  }

  InvocationOutcome call(byte[] payload) {
    return client.invoke(
        subject, ORIGIN, WasmCloudEntity.actor(actor), "Test.Echo", payload, TIMEOUT);
  }

  static byte[] respond(InvocationResponse r) {
    return InvocationCodec.encode(r);
  }

  static byte[] big(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 31);
    }
    return b;
  }

  /** Object names left in this test's bucket (the bucket may not exist: then none). */
  List<String> objectsLeft() throws Exception {
    try {
      return callee.objectStore(lattice).getList().stream().map(o -> o.getObjectName()).toList();
    } catch (Exception e) {
      if (String.valueOf(e.getMessage()).contains("not found")) {
        return List.of();
      }
      throw e;
    }
  }

  @Test
  void anAnswerComesBackAsTheResponseWithTheSignedCallAsSent() throws Exception {
    serve(inv -> respond(InvocationResponse.success(inv.id(), inv.msg())));
    InvocationResponse r = assertInstanceOf(InvocationResponse.class, call(HELLO));
    assertNull(r.error());
    assertArrayEquals(HELLO, r.msg());
    Invocation sent = received.getFirst();
    assertEquals(ORIGIN, sent.origin());
    assertEquals(WasmCloudEntity.actor(actor), sent.target());
    assertEquals("Test.Echo", sent.operation());
    assertEquals("NHOST", sent.hostId());
    new InvocationValidator(List.of(CLUSTER.publicKey())).verifyClaims(sent);
  }

  @Test
  void anErrorResponseIsAnAnswerNotAFailure() throws Exception {
    serve(inv -> respond(InvocationResponse.failure(inv.id(), "bucket is read-only")));
    InvocationResponse r = assertInstanceOf(InvocationResponse.class, call(HELLO));
    assertEquals("bucket is read-only", r.error());
  }

  @Test
  void nobodySubscribedIsNoRespondersAtOnce() {
    Duration patient = Duration.ofSeconds(20);
    long t0 = System.nanoTime();
    InvocationOutcome o =
        client.invoke(subject, ORIGIN, WasmCloudEntity.actor(actor), "Test.Echo", HELLO, patient);
    assertInstanceOf(NoResponders.class, o);
    assertTrue(System.nanoTime() - t0 < patient.toNanos() / 2, "reported before the timeout");
  }

  @Test
  void onAConnectionWithoutNoRespondersReportsItIsStillNoResponders() throws Exception {
    // jnats cancels the future at once instead of failing it
    try (Connection plain = nats.connect()) {
      InvocationClient c =
          new InvocationClient(plain, new InvocationSigner(CLUSTER, "NHOST"), callerChunks);
      Duration patient = Duration.ofSeconds(20);
      long t0 = System.nanoTime();
      InvocationOutcome o =
          c.invoke(subject, ORIGIN, WasmCloudEntity.actor(actor), "Test.Echo", HELLO, patient);
      assertInstanceOf(NoResponders.class, o);
      assertTrue(System.nanoTime() - t0 < patient.toNanos() / 2, "reported before the timeout");
      serve(inv -> null);
      o = c.invoke(subject, ORIGIN, WasmCloudEntity.actor(actor), "Test.Echo", HELLO, TIMEOUT);
      assertEquals(new TimedOut(TIMEOUT), o, "a silent subscriber is a timeout on it too");
    }
  }

  @Test
  void aSubscriberThatNeverAnswersIsATimeoutNamingTheWait() throws Exception {
    serve(inv -> null);
    long t0 = System.nanoTime();
    assertEquals(new TimedOut(TIMEOUT), call(HELLO));
    assertTrue(System.nanoTime() - t0 >= TIMEOUT.toNanos());
    assertEquals(1, received.size(), "the call did arrive");
  }

  @Test
  void aClosedConnectionIsConnectionLostWithoutSending() throws Exception {
    serve(inv -> respond(InvocationResponse.success(inv.id(), inv.msg())));
    caller.close();
    ConnectionLost lost = assertInstanceOf(ConnectionLost.class, call(HELLO));
    assertEquals(Connection.Status.CLOSED, lost.status());
    assertTrue(lost.describe().startsWith("closed"), lost.describe());
    // positive control: the same callee answers a call on an open connection
    try (Connection open = NatsServer.connect(nats.clientOptions().reportNoResponders())) {
      InvocationOutcome o =
          new InvocationClient(open, new InvocationSigner(CLUSTER, "NHOST"), callerChunks)
              .invoke(subject, ORIGIN, WasmCloudEntity.actor(actor), "Test.Echo", HELLO, TIMEOUT);
      assertInstanceOf(InvocationResponse.class, o);
    }
    assertEquals(1, received.size(), "only the call on the open connection arrived");
  }

  @Test
  void closingTheConnectionWhileWaitingIsConnectionLost() throws Exception {
    serve(inv -> null);
    CompletableFuture<InvocationOutcome> outcome =
        CompletableFuture.supplyAsync(
            () ->
                client.invoke(
                    subject,
                    ORIGIN,
                    WasmCloudEntity.actor(actor),
                    "Test.Echo",
                    HELLO,
                    Duration.ofSeconds(30)));
    assertTrue(arrived.await(10, TimeUnit.SECONDS));
    caller.close();
    ConnectionLost lost = assertInstanceOf(ConnectionLost.class, outcome.get(10, TimeUnit.SECONDS));
    assertEquals(Connection.Status.CLOSED, lost.status());
  }

  @Test
  void losingTheServerWhileWaitingIsConnectionLostNotATimeout() throws Exception {
    serve(inv -> null);
    try (TcpProxy proxy = TcpProxy.start(nats.port());
        Connection viaProxy =
            NatsServer.connect(NatsServer.clientOptionsFor(proxy.url()).reportNoResponders())) {
      InvocationClient c =
          new InvocationClient(viaProxy, new InvocationSigner(CLUSTER, "NHOST"), callerChunks);
      CompletableFuture<InvocationOutcome> outcome =
          CompletableFuture.supplyAsync(
              () ->
                  c.invoke(
                      subject,
                      ORIGIN,
                      WasmCloudEntity.actor(actor),
                      "Test.Echo",
                      HELLO,
                      Duration.ofSeconds(2)));
      assertTrue(arrived.await(10, TimeUnit.SECONDS));
      proxy.cut();
      ConnectionLost lost =
          assertInstanceOf(ConnectionLost.class, outcome.get(10, TimeUnit.SECONDS));
      assertTrue(
          lost.status() == Connection.Status.DISCONNECTED
              || lost.status() == Connection.Status.RECONNECTING,
          lost.toString());
      assertEquals("no reply within 2000 ms", lost.detail());
    }
  }

  @Test
  void anInterruptWhileWaitingIsCancelledWithTheFlagKeptAndTheChunkReleased() throws Exception {
    serve(inv -> null);
    AtomicBoolean stillInterrupted = new AtomicBoolean();
    CompletableFuture<InvocationOutcome> outcome = new CompletableFuture<>();
    Thread t =
        Thread.ofVirtual()
            .start(
                () -> {
                  outcome.complete(call(big(ChunkStore.THRESHOLD + 1)));
                  stillInterrupted.set(Thread.currentThread().isInterrupted());
                });
    assertTrue(arrived.await(10, TimeUnit.SECONDS));
    assertTrue(received.getFirst().isChunked(), "the payload went through the object store");
    t.interrupt();
    assertInstanceOf(Cancelled.class, outcome.get(10, TimeUnit.SECONDS));
    t.join(Duration.ofSeconds(10));
    assertTrue(stillInterrupted.get(), "the interrupt is not swallowed");
    assertEquals(List.of(), objectsLeft());
  }

  @Test
  void aLargeCallAndALargeAnswerGoThroughTheObjectStoreAndLeaveNothingBehind() throws Exception {
    byte[] payload = big(ChunkStore.THRESHOLD + 10);
    byte[] answer = big(2 * ChunkStore.THRESHOLD);
    serve(
        inv -> {
          byte[] got = calleeChunks.take(inv.id(), inv.contentLength());
          return respond(
              Arrays.equals(got, payload)
                  ? InvocationResponse.success(inv.id(), answer, calleeChunks)
                  : InvocationResponse.failure(inv.id(), "payload differs"));
        });
    InvocationResponse r = assertInstanceOf(InvocationResponse.class, call(payload));
    assertNull(r.error(), r.error());
    assertArrayEquals(answer, r.msg());
    Invocation sent = received.getFirst();
    assertEquals(0, sent.msg().length, "the message itself carried no payload");
    assertEquals(payload.length, sent.contentLength());
    assertEquals(List.of(), objectsLeft());
  }

  @Test
  void aLargeCallRefusedWithoutReadingItsObjectStillLeavesNothingBehind() throws Exception {
    serve(inv -> respond(InvocationResponse.failure(inv.id(), "unlinked actor")));
    InvocationResponse r =
        assertInstanceOf(InvocationResponse.class, call(big(ChunkStore.THRESHOLD + 1)));
    assertEquals("unlinked actor", r.error());
    assertTrue(received.getFirst().isChunked());
    assertEquals(List.of(), objectsLeft(), "the sender deleted the object the callee never took");
  }

  @Test
  void aReplyThatIsNotAnInvocationResponseIsABadReply() throws Exception {
    serve(inv -> "not msgpack".getBytes(StandardCharsets.UTF_8));
    BadReply bad = assertInstanceOf(BadReply.class, call(HELLO));
    assertTrue(bad.message().startsWith("not an InvocationResponse: "), bad.message());
  }

  @Test
  void aChunkedAnswerWhoseObjectIsMissingIsABadReplyNamingTheObject() throws Exception {
    serve(inv -> respond(new InvocationResponse(new byte[0], inv.id(), null, 5_000_000L, null)));
    BadReply bad = assertInstanceOf(BadReply.class, call(HELLO));
    String object = ChunkStore.responseName(received.getFirst().id());
    assertTrue(
        bad.message().startsWith("its chunked body is unavailable: ")
            && bad.message().contains(object),
        bad.message());
  }

  @Test
  void aLargePayloadTheObjectStoreRefusesFailsBeforeAnythingIsSent() throws Exception {
    serve(inv -> respond(InvocationResponse.success(inv.id(), new byte[0])));
    // no JetStream domain of that name: storing the payload fails
    InvocationClient c =
        new InvocationClient(
            caller,
            new InvocationSigner(CLUSTER, "NHOST"),
            new ChunkStore(caller, lattice, "nowhere"));
    InvocationOutcome o =
        c.invoke(
            subject,
            ORIGIN,
            WasmCloudEntity.actor(actor),
            "Test.Echo",
            big(ChunkStore.THRESHOLD + 1),
            TIMEOUT);
    Failed f = assertInstanceOf(Failed.class, o);
    assertTrue(f.message().startsWith("cannot send a 921601-byte Test.Echo: "), f.message());
    // positive control: a small call on the same client goes through
    assertInstanceOf(
        InvocationResponse.class,
        c.invoke(subject, ORIGIN, WasmCloudEntity.actor(actor), "Test.Echo", HELLO, TIMEOUT));
    assertEquals(1, received.size(), "only the small call was sent");
  }

  @Test
  void plainRequestsEndTheSameWays() throws Exception {
    String plain = "plain." + lattice;
    assertInstanceOf(
        NoResponders.class, NatsRequests.request(caller, plain, HELLO, TIMEOUT), "nobody");
    Dispatcher d = callee.createDispatcher(m -> {});
    d.subscribe(plain + ".silent");
    d.subscribe(plain + ".echo", m -> callee.publish(m.getReplyTo(), m.getData()));
    callee.flush(Duration.ofSeconds(2));
    try {
      assertEquals(
          new TimedOut(TIMEOUT), NatsRequests.request(caller, plain + ".silent", HELLO, TIMEOUT));
      RequestOutcome.Replied replied =
          assertInstanceOf(
              RequestOutcome.Replied.class,
              NatsRequests.request(caller, plain + ".echo", HELLO, TIMEOUT));
      Message m = replied.message();
      assertArrayEquals(HELLO, m.getData());
      caller.close();
      assertInstanceOf(
          ConnectionLost.class, NatsRequests.request(caller, plain + ".echo", HELLO, TIMEOUT));
    } finally {
      callee.closeDispatcher(d);
    }
  }
}
