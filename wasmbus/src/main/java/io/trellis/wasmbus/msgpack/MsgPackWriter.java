package io.trellis.wasmbus.msgpack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * Exact msgpack writing as rmp_serde "named" does it: maps with string keys in declared order, byte
 * fields as bin, smallest integer encodings.
 */
public final class MsgPackWriter {
  /**
   * Byte fields longer than this are added by reference instead of copied into the packer's buffer:
   * the single copy left is {@link #toByteArray()}.
   */
  private static final int REFERENCE_PAYLOAD = 8 * 1024;

  private final MessageBufferPacker out;

  private MsgPackWriter(int capacity) {
    // Large payloads never land in this buffer (see bin), so it only needs to hold the rest.
    this.out =
        MessagePack.DEFAULT_PACKER_CONFIG
            .withBufferSize(Math.clamp(capacity, 64, REFERENCE_PAYLOAD))
            .newBufferPacker();
  }

  public static MsgPackWriter create() {
    return new MsgPackWriter(256);
  }

  public static MsgPackWriter create(int capacityHint) {
    return new MsgPackWriter(capacityHint);
  }

  public MsgPackWriter map(int entries) {
    try {
      out.packMapHeader(entries);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public MsgPackWriter array(int entries) {
    try {
      out.packArrayHeader(entries);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public MsgPackWriter str(String value) {
    try {
      out.packString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public MsgPackWriter bin(byte[] value) {
    try {
      out.packBinaryHeader(value.length);
      if (value.length > REFERENCE_PAYLOAD) {
        out.addPayload(value);
      } else {
        out.writePayload(value);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public MsgPackWriter integer(long value) {
    try {
      out.packLong(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public MsgPackWriter bool(boolean value) {
    try {
      out.packBoolean(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public MsgPackWriter nil() {
    try {
      out.packNil();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public MsgPackWriter field(String name, String value) {
    return str(name).str(value);
  }

  public MsgPackWriter field(String name, byte[] value) {
    return str(name).bin(value);
  }

  public MsgPackWriter field(String name, long value) {
    return str(name).integer(value);
  }

  public MsgPackWriter field(String name, boolean value) {
    return str(name).bool(value);
  }

  public MsgPackWriter stringMap(Map<String, String> values) {
    map(values.size());
    values.forEach((k, v) -> str(k).str(v));
    return this;
  }

  public MsgPackWriter stringList(List<String> values) {
    array(values.size());
    values.forEach(this::str);
    return this;
  }

  public MsgPackWriter headerMap(Map<String, List<String>> values) {
    map(values.size());
    values.forEach((k, v) -> str(k).stringList(v));
    return this;
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
