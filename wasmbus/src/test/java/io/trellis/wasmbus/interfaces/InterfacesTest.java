package io.trellis.wasmbus.interfaces;

import static io.trellis.wasmbus.SpecVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.wasmbus.SpecVectors;
import io.trellis.wasmbus.msgpack.MsgPackException;
import io.trellis.wasmbus.msgpack.MsgPackValues;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterfacesTest {

  @Test
  void anIncrementOutsideTheI32RangeIsRefusedNotTruncated() {
    byte[] huge =
        io.trellis.wasmbus.msgpack.MsgPackWriter.create()
            .map(2)
            .field("key", "k")
            .field("value", (1L << 32) + 3)
            .toByteArray();
    MsgPackException e =
        assertThrows(MsgPackException.class, () -> KeyValue.IncrementRequest.fromMsgPack(huge));
    assertTrue(
        e.getMessage().contains("field 'value': 4294967299 is out of the 32-bit range"),
        e.getMessage());
  }

  @Test
  void echoRequestFromTheOtpTestDecodes() {
    HttpRequest r = HttpRequest.fromMsgPack(hex(SpecVectors.ECHO_REQUEST_HEX));
    assertEquals("GET", r.method());
    assertEquals("/", r.path());
    assertEquals("", r.queryString());
    assertEquals(Map.of(), r.header());
    assertEquals(
        "hello", new String(r.body(), StandardCharsets.UTF_8), "body as msgpack str is accepted");
    HttpRequest again = HttpRequest.fromMsgPack(r.toMsgPack());
    assertArrayEquals(r.body(), again.body());
    assertTrue(
        java.util.HexFormat.of().formatHex(r.toMsgPack()).startsWith("85a66d6574686f64"),
        "method first, as httpserver-rs");
  }

  @Test
  void echoResponseEncodesExactly() {
    HttpResponse resp = HttpResponse.fromMsgPack(hex(SpecVectors.ECHO_RESPONSE_HEX));
    assertEquals(200, resp.statusCode());
    assertEquals(
        "{\"body\":[104,101,108,108,111],\"method\":\"GET\",\"path\":\"/\",\"query_string\":\"\"}",
        new String(resp.body(), StandardCharsets.UTF_8));
    assertArrayEquals(hex(SpecVectors.ECHO_RESPONSE_HEX), resp.toMsgPack());
    assertArrayEquals(
        hex(SpecVectors.PINGER_RESPONSE_HEX),
        new HttpResponse(200, Map.of(), "Ping pong".getBytes(StandardCharsets.UTF_8)).toMsgPack());
  }

  @Test
  void keyValueIncrementMatchesKvcounterBytes() {
    assertArrayEquals(
        hex(SpecVectors.INCREMENT_MSG_HEX),
        new KeyValue.IncrementRequest("counter::foo:bar", 3).toMsgPack());
    assertEquals(
        new KeyValue.IncrementRequest("counter::foo:bar", 3),
        KeyValue.IncrementRequest.fromMsgPack(hex(SpecVectors.INCREMENT_MSG_HEX)));
    assertEquals(42, MsgPackValues.integer(hex("2a"), "Increment result"));
    assertEquals(-5, MsgPackValues.integer(MsgPackValues.integer(-5), "x"));
    assertEquals(70000, MsgPackValues.integer(hex("ce00011170"), "u32"));
  }

  @Test
  void builtinPayloadsMatchRandogenlogger() {
    assertArrayEquals(
        hex("82a56c6576656ca56465627567a474657874a86120646562756721"),
        new Builtins.LogEntry("debug", "a debug!").toMsgPack());
    assertArrayEquals(
        hex("82a56c6576656ca4696e666fa474657874ae61206d616e75616c20696e666f21"),
        new Builtins.LogEntry("info", "a manual info!").toMsgPack());
    assertArrayEquals(hex("82a36d696e00a36d617864"), new Builtins.RangeLimit(0, 100).toMsgPack());
    assertEquals(
        new Builtins.RangeLimit(0, 100),
        Builtins.RangeLimit.fromMsgPack(hex("82a36d696e00a36d617864")));
    assertEquals("pong", MsgPackValues.string(hex("a4706f6e67"), "Ping reply"));
  }

  @Test
  void healthPayloadsMatchSpec() {
    assertArrayEquals(hex("81ab706c616365686f6c646572c3"), Health.CHECK_REQUEST);
    assertArrayEquals(
        hex("81a76865616c746879c3"), new Health.HealthResponse(true, null).toMsgPack());
    assertTrue(Health.HealthResponse.fromMsgPack(hex("81a76865616c746879c3")).healthy());
  }

  @Test
  void httpClientUsesHeadersPluralAndResponseHeaderSingular() {
    HttpClientRequest req =
        new HttpClientRequest("GET", "http://x", Map.of("a", List.of("1")), new byte[0]);
    String h = java.util.HexFormat.of().formatHex(req.toMsgPack());
    assertTrue(h.contains(java.util.HexFormat.of().formatHex("headers".getBytes())));
    assertEquals(req.url(), HttpClientRequest.fromMsgPack(req.toMsgPack()).url());
    assertEquals(List.of("1"), HttpClientRequest.fromMsgPack(req.toMsgPack()).headers().get("a"));
  }

  @Test
  void messagingOmitsReplyToWhenAbsent() {
    Messaging.Message pub = new Messaging.Message("s", null, "b".getBytes());
    assertEquals(2, pub.toMsgPack()[0] & 0x0f);
    assertNull(Messaging.Message.fromMsgPack(pub.toMsgPack()).replyTo());
    Messaging.Message sub = new Messaging.Message("s", "_INBOX.1", "b".getBytes());
    assertEquals("_INBOX.1", Messaging.Message.fromMsgPack(sub.toMsgPack()).replyTo());
    Messaging.RequestMessage rq = new Messaging.RequestMessage("s", new byte[] {1}, 1500);
    assertEquals(1500, Messaging.RequestMessage.fromMsgPack(rq.toMsgPack()).timeoutMs());
  }

  @Test
  void keyValueShapesRoundTrip() {
    assertEquals(
        new KeyValue.SetRequest("k", "v", 10),
        KeyValue.SetRequest.fromMsgPack(new KeyValue.SetRequest("k", "v", 10).toMsgPack()));
    assertEquals(
        new KeyValue.GetResponse("v", true),
        KeyValue.GetResponse.fromMsgPack(new KeyValue.GetResponse("v", true).toMsgPack()));
    KeyValue.CollectionItem li = KeyValue.CollectionItem.list("l", "x");
    assertEquals(li, KeyValue.CollectionItem.fromMsgPack(li.toMsgPack(), "listName"));
    assertEquals(
        new KeyValue.ListRangeRequest("l", 0, -1),
        KeyValue.ListRangeRequest.fromMsgPack(
            new KeyValue.ListRangeRequest("l", 0, -1).toMsgPack()));
    assertEquals(
        List.of("a", "b"),
        MsgPackValues.stringList(MsgPackValues.stringList(List.of("a", "b")), "x"));
    assertTrue(MsgPackValues.bool(MsgPackValues.bool(true), "x"));
  }

  @Test
  void wrongShapesNameTheField() {
    MsgPackException e =
        assertThrows(MsgPackException.class, () -> HttpRequest.fromMsgPack(hex("01")));
    assertTrue(e.getMessage().contains("HttpRequest"), e.getMessage());
    MsgPackException f =
        assertThrows(
            MsgPackException.class, () -> HttpRequest.fromMsgPack(hex("81a6686561646572a3616263")));
    assertTrue(f.getMessage().contains("'header'"), f.getMessage());
    assertThrows(MsgPackException.class, () -> HttpResponse.fromMsgPack(hex("83aa73746174")));
  }
}
