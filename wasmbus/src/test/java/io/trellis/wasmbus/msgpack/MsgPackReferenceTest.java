package io.trellis.wasmbus.msgpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * Our msgpack writer and reader against msgpack-core, the library they replaced: the same bytes for
 * the same values, the same values back from its bytes, and input it cannot skip is refused.
 */
class MsgPackReferenceTest {
  private static final long[] EDGES = {
    0,
    1,
    31,
    32,
    127,
    128,
    255,
    256,
    65535,
    65536,
    (1L << 32) - 1,
    1L << 32,
    Long.MAX_VALUE,
    -1,
    -32,
    -33,
    -128,
    -129,
    -32768,
    -32769,
    Integer.MIN_VALUE,
    Integer.MIN_VALUE - 1L,
    Long.MIN_VALUE
  };

  @Test
  void integersEncodeExactlyAsMsgpackCore() throws IOException {
    Random r = new Random(7);
    List<Long> values = new ArrayList<>();
    for (long e : EDGES) {
      values.add(e);
      values.add(e + 1);
      values.add(e - 1);
    }
    for (int i = 0; i < 2000; i++) {
      values.add(r.nextLong() >> r.nextInt(64));
    }
    for (long v : values) {
      MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
      p.packLong(v);
      byte[] ours = MsgPackWriter.create(1).integer(v).toByteArray();
      assertEquals(ours.length, MsgPackWriter.integerSize(v), "size of " + v);
      assertArrayEquals(p.toByteArray(), ours, "encoding of " + v);
      assertEquals(v, MsgPackReader.of(ours, "t").longOrNull("v"), "decoding of " + v);
    }
  }

  private static final String[] UTF8 = {"é", "€", "𝄞"};

  @Test
  void stringsBinariesAndContainersEncodeExactlyAsMsgpackCore() throws IOException {
    Random r = new Random(11);
    int[] lengths = {0, 1, 31, 32, 255, 256, 65535, 65536, 70000};
    for (int len : lengths) {
      for (boolean ascii : new boolean[] {true, false}) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < len) {
          sb.append(ascii ? String.valueOf((char) ('a' + r.nextInt(26))) : UTF8[r.nextInt(3)]);
        }
        String s = sb.substring(0, len);
        if (len > 0 && Character.isHighSurrogate(s.charAt(len - 1))) {
          s = s.substring(0, len - 1) + "x";
        }
        byte[] bin = new byte[len];
        r.nextBytes(bin);
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packString(s);
        p.packBinaryHeader(len).writePayload(bin);
        p.packMapHeader(len).packArrayHeader(len).packBoolean(true).packNil();
        byte[] ours =
            MsgPackWriter.create(8)
                .str(s)
                .bin(bin)
                .map(len)
                .array(len)
                .bool(true)
                .nil()
                .toByteArray();
        assertArrayEquals(p.toByteArray(), ours, "length " + len + (ascii ? " ascii" : " utf-8"));
        MsgPackReader reader = MsgPackReader.of(ours, "t");
        assertEquals(s, reader.string("s"));
        assertArrayEquals(bin, reader.bytes("b"));
      }
    }
  }

  @Test
  void exactCapacityNeedsNoCopy() {
    byte[] payload = new byte[300];
    int size = MsgPackWriter.strSize(3) + MsgPackWriter.binSize(payload.length) + 1;
    MsgPackWriter w = MsgPackWriter.create(size).map(1).str("msg").bin(payload);
    assertEquals(size, w.toByteArray().length);
  }

  /** Random msgpack documents from msgpack-core: we skip exactly what it reads as one value. */
  @Test
  void skipAgreesWithMsgpackCoreOnRandomDocuments() throws IOException {
    Random r = new Random(3);
    for (int i = 0; i < 3000; i++) {
      MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
      randomValue(p, r, 0);
      p.packInt(42); // a sentinel after the value
      byte[] doc = p.toByteArray();
      MsgPackReader ours = MsgPackReader.of(doc, "doc");
      ours.skip();
      assertEquals(42L, ours.longOrNull("sentinel"), "document " + i);
      assertFalse(ours.hasNext());
      // truncations never pass unnoticed
      byte[] cut = Arrays.copyOf(doc, r.nextInt(doc.length - 1));
      boolean coreFails;
      try (MessageUnpacker u = MessagePack.newDefaultUnpacker(cut)) {
        Value v = u.unpackValue();
        coreFails = v == null || !u.hasNext() || u.unpackInt() != 42;
      } catch (Exception e) {
        coreFails = true;
      }
      assertTrue(coreFails);
      MsgPackReader truncated = MsgPackReader.of(cut, "doc");
      assertThrows(
          MsgPackException.class,
          () -> {
            truncated.skip();
            if (truncated.longOrNull("sentinel") != 42L) {
              throw new MsgPackException("sentinel lost");
            }
          },
          "truncated document " + i);
    }
  }

  @Test
  void neverUsedByteAndDeepNestingAreRefusedCleanly() {
    byte[] never = {(byte) 0x81, (byte) 0xa1, 'k', (byte) 0xc1};
    MsgPackReader r = MsgPackReader.of(never, "X");
    assertEquals(1, r.mapHeader("X"));
    assertEquals("k", r.key());
    MsgPackException e = assertThrows(MsgPackException.class, r::skip);
    assertTrue(e.getMessage().contains("at field 'k'"), e.getMessage());
    byte[] deep = new byte[200_000];
    Arrays.fill(deep, (byte) 0x91); // arrays of one array of one array ...
    assertThrows(MsgPackException.class, () -> MsgPackReader.of(deep, "deep").skip());
  }

  private static void randomValue(MessageBufferPacker p, Random r, int depth) throws IOException {
    switch (depth > 3 ? r.nextInt(8) : r.nextInt(10)) {
      case 0 -> p.packNil();
      case 1 -> p.packBoolean(r.nextBoolean());
      case 2 -> p.packLong(r.nextLong() >> r.nextInt(64));
      case 3 -> p.packDouble(r.nextDouble());
      case 4 -> p.packFloat(r.nextFloat());
      case 5 -> p.packString("s".repeat(r.nextInt(300)));
      case 6 -> p.packBinaryHeader(3).writePayload(new byte[] {1, 2, 3});
      case 7 -> {
        int len = new int[] {1, 2, 4, 8, 16, 3, 300}[r.nextInt(7)];
        p.packExtensionTypeHeader((byte) 5, len).writePayload(new byte[len]);
      }
      case 8 -> {
        int n = r.nextInt(20);
        p.packArrayHeader(n);
        for (int i = 0; i < n; i++) {
          randomValue(p, r, depth + 1);
        }
      }
      default -> {
        int n = r.nextInt(20);
        p.packMapHeader(n);
        for (int i = 0; i < n; i++) {
          p.packString("k" + i);
          randomValue(p, r, depth + 1);
        }
      }
    }
  }
}
