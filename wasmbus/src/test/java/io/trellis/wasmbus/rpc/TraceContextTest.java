package io.trellis.wasmbus.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.chunking.ChunkStore;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * W3C trace context in NATS headers and the Invocation's traceContext field (PROTOCOL.md §16.1).
 */
class TraceContextTest {
  static final String PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  static final String OTHER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  static final KeyPair CLUSTER = KeyPair.generate(KeyType.CLUSTER);
  static final InvocationSigner SIGNER = new InvocationSigner(CLUSTER, "host");
  static final WasmCloudEntity ACTOR =
      WasmCloudEntity.actor(KeyPair.generate(KeyType.MODULE).publicKey());

  static Invocation invocation(Map<String, String> field) {
    return SIGNER
        .sign(ACTOR, ACTOR, "Op", "x".getBytes(StandardCharsets.UTF_8))
        .withTraceContext(field);
  }

  static Message message(Invocation inv, Headers headers) {
    return NatsMessage.builder()
        .subject("s")
        .headers(headers)
        .data(InvocationCodec.encode(inv))
        .build();
  }

  @Test
  void headersComeFirst() {
    Invocation inv = invocation(Map.of("traceparent", OTHER));
    TraceContext tc =
        TraceContext.of(
            message(inv, new Headers().put("traceparent", PARENT).put("tracestate", "k=v")), inv);
    assertEquals(new TraceContext(PARENT, "k=v"), tc);
  }

  @Test
  void theFieldIsTheFallback() {
    Invocation inv = invocation(Map.of("traceparent", OTHER, "tracestate", "a=b"));
    assertEquals(new TraceContext(OTHER, "a=b"), TraceContext.of(message(inv, new Headers()), inv));
    // a header map without traceparent does not hide the field either
    assertEquals(
        new TraceContext(OTHER, "a=b"),
        TraceContext.of(message(inv, new Headers().put("x", "y")), inv));
  }

  @Test
  void noContextIsNull() {
    Invocation inv = invocation(Map.of());
    assertNull(TraceContext.of(message(inv, new Headers()), inv));
    assertNull(TraceContext.fromMap(Map.of("traceparent", " ")));
    assertNull(TraceContext.fromHeaders(null));
  }

  @Test
  void theFieldSurvivesTheCodec() {
    TraceContext tc = new TraceContext(PARENT, "k=v");
    Invocation decoded =
        InvocationCodec.decodeInvocation(InvocationCodec.encode(invocation(tc.asMap())));
    assertEquals(tc, TraceContext.fromMap(decoded.traceContext()));
  }

  @Test
  void anEmptyTracestateIsAbsentAndAnEmptyParentIsRefused() {
    assertNull(new TraceContext(PARENT, "").tracestate());
    assertEquals(Map.of("traceparent", PARENT), new TraceContext(PARENT, null).asMap());
    assertThrows(IllegalArgumentException.class, () -> new TraceContext("", null));
    assertEquals("0af7651916cd43dd8448eb211c80319c", new TraceContext(PARENT, null).traceId());
    assertEquals("", new TraceContext("garbage", null).traceId());
  }

  /** The client writes both places; without a context it writes neither. */
  @Test
  void theClientWritesHeadersAndField() throws Exception {
    try (NatsServer nats = NatsServer.start();
        Connection conn = nats.connect()) {
      String subject = "wasmbus.rpc.tc." + ACTOR.publicKey();
      Subscription sub = conn.subscribe(subject);
      conn.flush(Duration.ofSeconds(2));
      InvocationClient client =
          new InvocationClient(conn, SIGNER, new ChunkStore(conn, "tc", null));
      TraceContext tc = new TraceContext(PARENT, "k=v");
      for (TraceContext sent : new TraceContext[] {tc, null}) {
        CompletableFuture<InvocationOutcome> call =
            CompletableFuture.supplyAsync(
                () ->
                    client.invoke(
                        subject, ACTOR, ACTOR, "Op", new byte[1], Duration.ofSeconds(5), sent));
        Message m = sub.nextMessage(Duration.ofSeconds(5));
        Invocation inv = InvocationCodec.decodeInvocation(m.getData());
        assertEquals(sent, TraceContext.fromHeaders(m.getHeaders()));
        assertEquals(sent, TraceContext.fromMap(inv.traceContext()));
        assertEquals(sent, TraceContext.of(m, inv));
        conn.publish(
            m.getReplyTo(), InvocationCodec.encode(InvocationResponse.failure(inv.id(), "fine")));
        assertSame(InvocationResponse.class, call.get().getClass());
      }
    }
  }
}
