package io.trellis.wasmbus.rpc;

import static io.trellis.wasmbus.SpecVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.wasmbus.SpecVectors;
import io.trellis.wasmbus.msgpack.MsgPackException;
import io.trellis.wasmbus.msgpack.MsgPackWriter;
import io.trellis.wasmbus.nkeys.KeyPair;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InvocationTest {
  static final WasmCloudEntity ECHO = WasmCloudEntity.actor(SpecVectors.ECHO_PK);
  static final WasmCloudEntity KV =
      WasmCloudEntity.provider(SpecVectors.KVREDIS_PK, "wasmcloud:keyvalue", "default");

  @Test
  void busUrlsMatchSpec124() {
    assertEquals("wasmbus:////testing", new WasmCloudEntity("testing", "", "").url());
    WasmCloudEntity msg = WasmCloudEntity.provider("Vxxx", "wasmcloud:messaging", "default");
    assertEquals("wasmbus://wasmcloud/messaging/default/Vxxx", msg.url());
    assertEquals(
        "wasmbus://wasmcloud/messaging/default/Vxxx/OP_TESTING", msg.url() + "/OP_TESTING");
    assertEquals(
        "4EE0F2F868329C425B8D26935FD5FCBC050067CF8908F34F33FE9E17ACBE4853",
        InvocationSigner.hash(
            "wasmbus:////testing",
            msg.url() + "/OP_TESTING",
            "OP_TESTING",
            new byte[] {1, 2, 3, 4}));
    assertEquals("wasmbus://" + SpecVectors.ECHO_PK, ECHO.url());
    assertEquals(
        SpecVectors.INCREMENT_HASH,
        InvocationSigner.hash(
            ECHO.url(),
            KV.url() + "/KeyValue.Increment",
            "KeyValue.Increment",
            hex(SpecVectors.INCREMENT_MSG_HEX)));
    assertEquals(
        "wasmbus://my_contract/x/some_link/Vk",
        new WasmCloudEntity("Vk", "My Contract:X", "Some Link").url());
  }

  static Invocation specInvocation() {
    InvocationSigner signer =
        new InvocationSigner(KeyPair.fromSeed(SpecVectors.CLUSTER_SEED), SpecVectors.CLUSTER_PK);
    return signer.sign(
        ECHO,
        KV,
        "KeyValue.Increment",
        hex(SpecVectors.INCREMENT_MSG_HEX),
        SpecVectors.INVOCATION_ID,
        1_700_000_000L,
        "Wq1cQmTz4nVx0LbYp8RkAe");
  }

  @Test
  void signingReproducesTheSpec125TokenAndEncoding() {
    Invocation inv = specInvocation();
    assertEquals(SpecVectors.INVOCATION_TOKEN, inv.encodedClaims());
    byte[] bytes = InvocationCodec.encode(inv);
    assertEquals(1192, bytes.length);
    assertTrue(
        HexFormat.of()
            .formatHex(bytes)
            .startsWith("88a66f726967696e83aa7075626c69635f6b6579d9384d42"),
        HexFormat.of().formatHex(bytes, 0, 30));
    Invocation back = InvocationCodec.decodeInvocation(bytes);
    assertEquals(inv.origin(), back.origin());
    assertEquals(inv.target(), back.target());
    assertArrayEquals(inv.msg(), back.msg());
    assertEquals(29L, back.contentLength());
    assertEquals(SpecVectors.CLUSTER_PK, back.hostId());
    assertArrayEquals(bytes, InvocationCodec.encode(back), "re-encoding is exact");
  }

  @Test
  void decodingIsTolerant() {
    // msg as str, content_length as uint64, an unknown key, nil host_id, entity without link_name
    byte[] bytes =
        MsgPackWriter.create()
            .map(7)
            .str("origin")
            .map(2)
            .field("public_key", "Vp")
            .field("contract_id", "c")
            .str("target")
            .map(1)
            .field("public_key", SpecVectors.ECHO_PK)
            .field("operation", "Op.X")
            .str("msg")
            .str("hello")
            .field("extra", 42)
            .str("host_id")
            .nil()
            .str("content_length")
            .integer(5)
            .toByteArray();
    Invocation inv = InvocationCodec.decodeInvocation(bytes);
    assertEquals("hello", new String(inv.msg()));
    assertEquals("", inv.origin().linkName());
    assertEquals("", inv.hostId());
    assertEquals("", inv.id());
    assertEquals(5L, inv.contentLength());
    assertEquals("Op.X", inv.operation());
  }

  @Test
  void truncatedOrWrongShapedMsgpackIsMalformed() {
    byte[] full = InvocationCodec.encode(specInvocation());
    byte[] cut = Arrays.copyOf(full, full.length / 2);
    MalformedInvocationException e =
        assertThrows(MalformedInvocationException.class, () -> InvocationValidator.decode(cut));
    assertTrue(e.getMessage().startsWith("Failed to deserialize invocation"), e.getMessage());
    assertThrows(
        MsgPackException.class,
        () -> InvocationCodec.decodeInvocation(new byte[] {(byte) 0x93, 1, 2, 3}));
    assertThrows(
        MsgPackException.class,
        () ->
            InvocationCodec.decodeInvocation(
                MsgPackWriter.create().map(1).str("msg").integer(1).toByteArray()));
  }

  @Test
  void responsesRoundTripAndReadOtpQuirks() {
    InvocationResponse ok = InvocationResponse.success("id-1", new byte[] {1, 2});
    InvocationResponse back = InvocationCodec.decodeResponse(InvocationCodec.encode(ok));
    assertTrue(back.isSuccess());
    assertArrayEquals(new byte[] {1, 2}, back.msg());
    assertEquals(2L, back.contentLength());
    InvocationResponse err =
        InvocationCodec.decodeResponse(
            InvocationCodec.encode(InvocationResponse.failure("id-2", "")));
    assertEquals("", err.error());
    assertTrue(!err.isSuccess(), "an empty error string is still an error");
    // OTP "not running" reply: msg is an empty array, error present
    byte[] otp =
        MsgPackWriter.create()
            .map(2)
            .str("msg")
            .array(0)
            .field("error", "Invocation received for actor M that is not running")
            .toByteArray();
    InvocationResponse stale = InvocationCodec.decodeResponse(otp);
    assertEquals(0, stale.msg().length);
    assertTrue(stale.error().contains("not running"));
    InvocationResponse nilErr =
        InvocationCodec.decodeResponse(
            MsgPackWriter.create().map(2).str("msg").str("x").str("error").nil().toByteArray());
    assertNull(nilErr.error());
  }

  /** Sized encoding writes the same bytes as growing a buffer, for awkward values too. */
  @Test
  void exactlySizedEncodingMatchesTheGrowingWriter() {
    String[] texts = {"", "a", "é€𝄞", "x".repeat(31), "y".repeat(32), "z".repeat(300)};
    Random r = new Random(2);
    for (int i = 0; i < 500; i++) {
      byte[] msg = new byte[r.nextInt(3) == 0 ? 70_000 : r.nextInt(300)];
      Invocation inv =
          new Invocation(
              new WasmCloudEntity(texts[r.nextInt(6)], texts[r.nextInt(6)], texts[r.nextInt(6)]),
              WasmCloudEntity.actor(texts[r.nextInt(6)]),
              texts[r.nextInt(6)],
              msg,
              texts[r.nextInt(6)],
              texts[r.nextInt(6)],
              texts[r.nextInt(6)],
              r.nextBoolean() ? null : (long) r.nextInt(Integer.MAX_VALUE),
              r.nextBoolean() ? Map.of() : Map.of("traceparent", texts[r.nextInt(6)]));
      byte[] bytes = InvocationCodec.encode(inv);
      Invocation back = InvocationCodec.decodeInvocation(bytes);
      assertArrayEquals(bytes, InvocationCodec.encode(back));
      assertEquals(inv.operation(), back.operation());
      assertEquals(inv.contentLength(), back.contentLength());
      assertEquals(inv.traceContext(), back.traceContext());
      InvocationResponse resp =
          new InvocationResponse(
              msg,
              texts[r.nextInt(6)],
              r.nextBoolean() ? null : texts[r.nextInt(6)],
              r.nextBoolean() ? null : (long) r.nextInt(),
              r.nextBoolean() ? null : texts[r.nextInt(6)]);
      InvocationResponse rb = InvocationCodec.decodeResponse(InvocationCodec.encode(resp));
      assertEquals(resp.error(), rb.error());
      assertEquals(resp.contentLength(), rb.contentLength());
      assertEquals(resp.instanceId(), rb.instanceId());
      assertArrayEquals(resp.msg(), rb.msg());
    }
  }
}
