package io.trellis.cli.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.msgpack.MsgPackWriter;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MsgPackJsonTest {
  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  static JsonNode json(String s) throws Exception {
    return Json.MAPPER.readTree(s);
  }

  @Test
  void jsonBecomesTheSmallestMsgPack() throws Exception {
    assertEquals("82a16b01a2766cc3", hex(MsgPackJson.toMsgPack(json("{\"k\":1,\"vl\":true}"))));
    assertEquals("93ccc8d1ff38c0", hex(MsgPackJson.toMsgPack(json("[200,-200,null]"))));
    assertEquals("cb3ff8000000000000", hex(MsgPackJson.toMsgPack(json("1.5"))));
    assertEquals("a3616263", hex(MsgPackJson.toMsgPack(json("\"abc\""))));
    assertEquals("cfffffffffffffffff", hex(MsgPackJson.toMsgPack(json("18446744073709551615"))));
    IllegalArgumentException big =
        assertThrows(
            IllegalArgumentException.class,
            () -> MsgPackJson.toMsgPack(json("{\"a\":[18446744073709551616]}")));
    assertEquals(
        "the integer 18446744073709551616 at $.a[0] does not fit in 64 bits", big.getMessage());
  }

  @Test
  void msgPackReadsBackAsJsonWithBytesAsTextOrBase64() throws Exception {
    JsonNode in = json("{\"a\":[1,-2,3.25,\"x\",null,false],\"b\":{\"c\":\"d\"}}");
    assertEquals(in.toString(), MsgPackJson.toJson(MsgPackJson.toMsgPack(in)).toString());
    byte[] bins =
        MsgPackWriter.create()
            .map(2)
            .field("text", "hé".getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .field("raw", new byte[] {(byte) 0xff, 0, 1})
            .toByteArray();
    assertEquals(json("{\"text\":\"hé\",\"raw\":\"/wAB\"}"), MsgPackJson.toJson(bins));
    assertEquals(Json.MAPPER.nullNode(), MsgPackJson.toJson(new byte[0]), "unit results are empty");
    assertThrows(
        IllegalArgumentException.class, () -> MsgPackJson.toJson(new byte[] {(byte) 0xc1}));
  }
}
