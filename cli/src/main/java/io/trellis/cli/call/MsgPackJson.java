package io.trellis.cli.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ExtensionValue;
import org.msgpack.value.IntegerValue;
import org.msgpack.value.Value;

/**
 * JSON to msgpack and back, for payloads typed on a command line. Objects become maps, strings str,
 * integers the smallest int encoding, other numbers float64, booleans, arrays, null nil. Back: bin
 * and str show as text when they are valid UTF-8, else as base64 (the OTP host sends raw bytes as
 * str, so str is not trusted to be text either).
 */
public final class MsgPackJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final BigInteger MIN_I64 = BigInteger.valueOf(Long.MIN_VALUE);

  private MsgPackJson() {}

  public static byte[] toMsgPack(JsonNode json) {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      write(p, json, "$");
      return p.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(MessageBufferPacker p, JsonNode n, String where) throws IOException {
    switch (n.getNodeType()) {
      case OBJECT -> {
        p.packMapHeader(n.size());
        for (Map.Entry<String, JsonNode> e : n.properties()) {
          p.packString(e.getKey());
          write(p, e.getValue(), where + "." + e.getKey());
        }
      }
      case ARRAY -> {
        p.packArrayHeader(n.size());
        for (int i = 0; i < n.size(); i++) {
          write(p, n.get(i), where + "[" + i + "]");
        }
      }
      case STRING -> p.packString(n.asText());
      case BOOLEAN -> p.packBoolean(n.asBoolean());
      case NULL, MISSING -> p.packNil();
      case NUMBER -> {
        if (n.isIntegralNumber()) {
          BigInteger v = n.bigIntegerValue();
          if (v.compareTo(MAX_U64) > 0 || v.compareTo(MIN_I64) < 0) {
            throw new IllegalArgumentException(
                "the integer " + v + " at " + where + " does not fit in 64 bits");
          }
          p.packBigInteger(v);
        } else {
          p.packDouble(n.asDouble());
        }
      }
      default ->
          throw new IllegalArgumentException(
              "cannot convert the " + n.getNodeType() + " at " + where + " to msgpack");
    }
  }

  /**
   * Decodes one msgpack value; empty input (operations returning nothing) reads as JSON null.
   *
   * @throws IllegalArgumentException when the bytes are not msgpack
   */
  public static JsonNode toJson(byte[] msgpack) {
    if (msgpack.length == 0) {
      return F.nullNode();
    }
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(msgpack)) {
      return convert(u.unpackValue());
    } catch (IOException | MessagePackException e) {
      throw new IllegalArgumentException(
          "the reply is not msgpack (" + msgpack.length + " bytes): " + e.getMessage(), e);
    }
  }

  private static JsonNode convert(Value v) {
    return switch (v.getValueType()) {
      case NIL -> F.nullNode();
      case BOOLEAN -> F.booleanNode(v.asBooleanValue().getBoolean());
      case INTEGER -> {
        IntegerValue i = v.asIntegerValue();
        yield i.isInLongRange() ? F.numberNode(i.toLong()) : F.numberNode(i.toBigInteger());
      }
      case FLOAT -> F.numberNode(v.asFloatValue().toDouble());
      case STRING -> bytes(v.asStringValue().asByteArray());
      case BINARY -> bytes(v.asBinaryValue().asByteArray());
      case ARRAY -> {
        ArrayNode a = F.arrayNode();
        v.asArrayValue().forEach(x -> a.add(convert(x)));
        yield a;
      }
      case MAP -> {
        ObjectNode o = F.objectNode();
        v.asMapValue()
            .entrySet()
            .forEach(
                e ->
                    o.set(
                        e.getKey().isStringValue()
                            ? e.getKey().asStringValue().asString()
                            : e.getKey().toJson(),
                        convert(e.getValue())));
        yield o;
      }
      case EXTENSION -> {
        ExtensionValue x = v.asExtensionValue();
        yield F.textNode(
            "ext(" + x.getType() + "):" + Base64.getEncoder().encodeToString(x.getData()));
      }
    };
  }

  private static JsonNode bytes(byte[] b) {
    return F.textNode(
        utf8(b) ? new String(b, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(b));
  }

  static boolean utf8(byte[] b) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
