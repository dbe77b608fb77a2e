package io.trellis.provider.keyvalue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.provider.sdk.ProviderRunner;
import io.trellis.provider.sdk.RunningProvider;
import io.trellis.provider.testkit.TestLattice;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.interfaces.KeyValue;
import io.trellis.wasmbus.interfaces.KeyValue.CollectionItem;
import io.trellis.wasmbus.interfaces.KeyValue.GetResponse;
import io.trellis.wasmbus.interfaces.KeyValue.IncrementRequest;
import io.trellis.wasmbus.interfaces.KeyValue.ListRangeRequest;
import io.trellis.wasmbus.interfaces.KeyValue.SetRequest;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.msgpack.MsgPackValues;
import io.trellis.wasmbus.rpc.InvocationResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeyValueProviderTest {
  static NatsServer nats;

  /** A clock the test moves, to expire values without waiting. */
  static final class TestClock extends Clock {
    final AtomicLong millis = new AtomicLong(Instant.now().toEpochMilli());

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }
  }

  TestLattice lattice;
  TestClock clock = new TestClock();
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
    LinkDefinition link =
        TestLattice.link(actor, pk, Contracts.KEY_VALUE, Map.of("bucket", lattice.prefix()));
    running =
        ProviderRunner.start(new KeyValueProvider(clock), lattice.hostData(pk, List.of(link)));
  }

  @AfterEach
  void stop() {
    running.close();
    lattice.close();
  }

  byte[] call(String op, byte[] payload) {
    InvocationResponse r = lattice.call(actor, pk, Contracts.KEY_VALUE, op, payload);
    if (!r.isSuccess()) {
      throw new AssertionError(op + " failed: " + r.error());
    }
    return r.msg();
  }

  String error(String op, byte[] payload) {
    InvocationResponse r = lattice.call(actor, pk, Contracts.KEY_VALUE, op, payload);
    assertFalse(r.isSuccess(), op + " should fail");
    return r.error();
  }

  GetResponse get(String key) {
    return GetResponse.fromMsgPack(call(KeyValue.GET, MsgPackValues.string(key)));
  }

  boolean bool(String op, byte[] payload) {
    return MsgPackValues.bool(call(op, payload), op);
  }

  long integer(String op, byte[] payload) {
    return MsgPackValues.integer(call(op, payload), op);
  }

  List<String> strings(String op, byte[] payload) {
    return MsgPackValues.stringList(call(op, payload), op);
  }

  @Test
  void stringsGetSetDelContains() {
    assertEquals(new GetResponse("", false), get("greeting"));
    assertEquals(
        0,
        call(KeyValue.SET, new SetRequest("greeting", "hello", 0).toMsgPack()).length,
        "Set returns unit");
    assertEquals(new GetResponse("hello", true), get("greeting"));
    assertTrue(bool(KeyValue.CONTAINS, MsgPackValues.string("greeting")));
    assertTrue(bool(KeyValue.DEL, MsgPackValues.string("greeting")));
    assertFalse(bool(KeyValue.DEL, MsgPackValues.string("greeting")));
    assertFalse(bool(KeyValue.CONTAINS, MsgPackValues.string("greeting")));
    // keys are free-form strings, values survive a delete-then-set
    call(KeyValue.SET, new SetRequest("counter:home page.v1", "x", 0).toMsgPack());
    assertEquals(new GetResponse("x", true), get("counter:home page.v1"));
  }

  @Test
  void setWithExpiresExpires() {
    call(KeyValue.SET, new SetRequest("session", "abc", 30).toMsgPack());
    assertEquals(new GetResponse("abc", true), get("session"));
    clock.millis.addAndGet(29_000);
    assertTrue(get("session").exists());
    clock.millis.addAndGet(2_000);
    assertEquals(new GetResponse("", false), get("session"));
    assertFalse(bool(KeyValue.CONTAINS, MsgPackValues.string("session")));
    assertEquals(
        1,
        integer(KeyValue.INCREMENT, new IncrementRequest("session", 1).toMsgPack()),
        "expired counts as absent");
  }

  @Test
  void incrementMatchesTheKvcounterWireShape() {
    // the exact bytes kvcounter sends (PROTOCOL.md §12.6): {key: "counter::foo:bar", value: 3}
    byte[] fromKvcounter =
        HexFormat.of().parseHex("82a36b6579b0636f756e7465723a3a666f6f3a626172a576616c756503");
    assertEquals(3, integer(KeyValue.INCREMENT, fromKvcounter));
    assertEquals(
        -2, integer(KeyValue.INCREMENT, new IncrementRequest("counter::foo:bar", -5).toMsgPack()));
    assertEquals(new GetResponse("-2", true), get("counter::foo:bar"));
    call(KeyValue.SET, new SetRequest("word", "abc", 0).toMsgPack());
    assertTrue(
        error(KeyValue.INCREMENT, new IncrementRequest("word", 1).toMsgPack())
            .contains("'abc' is not an integer"));
  }

  /**
   * 8 threads × 500 increments of one key end at exactly 4000. The threads are split over two
   * provider instances sharing the bucket, so the in-process lock cannot serialise them: only the
   * revision-checked writes keep every increment.
   */
  @Test
  void incrementIsAtomicUnderConcurrency() throws Exception {
    String pk2 = TestLattice.newProviderKey();
    LinkDefinition link2 =
        TestLattice.link(actor, pk2, Contracts.KEY_VALUE, Map.of("bucket", lattice.prefix()));
    int threads = 8;
    int each = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (RunningProvider second =
        ProviderRunner.start(new KeyValueProvider(), lattice.hostData(pk2, List.of(link2)))) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String target = t % 2 == 0 ? pk : pk2;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    InvocationResponse r =
                        lattice.call(
                            actor,
                            target,
                            Contracts.KEY_VALUE,
                            KeyValue.INCREMENT,
                            new IncrementRequest("hits", 1).toMsgPack());
                    if (!r.isSuccess()) {
                      throw new AssertionError(r.error());
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(new GetResponse(Integer.toString(threads * each), true), get("hits"));
  }

  @Test
  void lists() {
    assertEquals(1, integer(KeyValue.LIST_ADD, CollectionItem.list("todo", "a").toMsgPack()));
    assertEquals(2, integer(KeyValue.LIST_ADD, CollectionItem.list("todo", "b").toMsgPack()));
    assertEquals(3, integer(KeyValue.LIST_ADD, CollectionItem.list("todo", "c").toMsgPack()));
    assertEquals(
        List.of("a", "b", "c"),
        strings(KeyValue.LIST_RANGE, new ListRangeRequest("todo", 0, -1).toMsgPack()));
    assertEquals(
        List.of("b"), strings(KeyValue.LIST_RANGE, new ListRangeRequest("todo", 1, 1).toMsgPack()));
    assertEquals(
        List.of("b", "c"),
        strings(KeyValue.LIST_RANGE, new ListRangeRequest("todo", -2, 10).toMsgPack()));
    assertTrue(bool(KeyValue.LIST_DEL, CollectionItem.list("todo", "b").toMsgPack()));
    assertFalse(bool(KeyValue.LIST_DEL, CollectionItem.list("todo", "zzz").toMsgPack()));
    assertEquals(
        List.of("a", "c"),
        strings(KeyValue.LIST_RANGE, new ListRangeRequest("todo", 0, -1).toMsgPack()));
    assertTrue(bool(KeyValue.LIST_CLEAR, MsgPackValues.string("todo")));
    assertFalse(bool(KeyValue.LIST_CLEAR, MsgPackValues.string("todo")));
    assertEquals(
        List.of(), strings(KeyValue.LIST_RANGE, new ListRangeRequest("todo", 0, -1).toMsgPack()));
    call(KeyValue.LIST_ADD, CollectionItem.list("l2", "v").toMsgPack());
    assertTrue(
        error(KeyValue.GET, MsgPackValues.string("l2")).contains("holds a list, not a string"));
  }

  @Test
  void sets() {
    assertEquals(1, integer(KeyValue.SET_ADD, CollectionItem.set("s1", "a").toMsgPack()));
    assertEquals(
        0,
        integer(KeyValue.SET_ADD, CollectionItem.set("s1", "a").toMsgPack()),
        "already a member");
    integer(KeyValue.SET_ADD, CollectionItem.set("s1", "b").toMsgPack());
    integer(KeyValue.SET_ADD, CollectionItem.set("s2", "b").toMsgPack());
    integer(KeyValue.SET_ADD, CollectionItem.set("s2", "c").toMsgPack());
    assertEquals(List.of("a", "b"), strings(KeyValue.SET_QUERY, MsgPackValues.string("s1")));
    assertEquals(
        List.of("a", "b", "c"),
        strings(KeyValue.SET_UNION, MsgPackValues.stringList(List.of("s1", "s2"))));
    assertEquals(
        List.of("b"),
        strings(KeyValue.SET_INTERSECTION, MsgPackValues.stringList(List.of("s1", "s2"))));
    assertEquals(1, integer(KeyValue.SET_DEL, CollectionItem.set("s1", "a").toMsgPack()));
    assertEquals(0, integer(KeyValue.SET_DEL, CollectionItem.set("s1", "a").toMsgPack()));
    assertTrue(bool(KeyValue.SET_CLEAR, MsgPackValues.string("s2")));
    assertEquals(List.of(), strings(KeyValue.SET_QUERY, MsgPackValues.string("s2")));
    assertEquals(
        List.of(),
        strings(KeyValue.SET_INTERSECTION, MsgPackValues.stringList(List.of("s1", "s2"))));
  }

  @Test
  void stateLivesInNatsAndSurvivesTheProvider() throws Exception {
    call(KeyValue.SET, new SetRequest("persist", "yes", 0).toMsgPack());
    running.close();
    String pk2 = TestLattice.newProviderKey();
    LinkDefinition link =
        TestLattice.link(actor, pk2, Contracts.KEY_VALUE, Map.of("bucket", lattice.prefix()));
    try (RunningProvider second =
        ProviderRunner.start(new KeyValueProvider(), lattice.hostData(pk2, List.of(link)))) {
      InvocationResponse r =
          lattice.call(
              actor, pk2, Contracts.KEY_VALUE, KeyValue.GET, MsgPackValues.string("persist"));
      assertEquals(new GetResponse("yes", true), GetResponse.fromMsgPack(r.msg()));
      // and the value is a plain KV entry another tool can read
      var kv = lattice.connection().keyValue(lattice.prefix());
      await().atMost(Duration.ofSeconds(2)).until(() -> kv.get("persist") != null);
      assertTrue(new String(kv.get("persist").getValue()).contains("\"yes\""));
    }
  }

  @Test
  void keysAreEncodedReversibly() {
    for (String k : new String[] {"plain", "a.b", "..x..", "k=v", "ünï cödé", "*>", "a/b_c-d"}) {
      String e = KeyCodec.encode(k);
      assertTrue(e.matches("[A-Za-z0-9_/=-]+"), e);
      assertEquals(k, KeyCodec.decode(e));
    }
    assertEquals("plain", KeyCodec.encode("plain"));
  }
}
