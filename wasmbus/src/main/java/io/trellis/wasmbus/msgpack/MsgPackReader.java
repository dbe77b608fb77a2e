package io.trellis.wasmbus.msgpack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageTypeException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * A tolerant msgpack reader for protocol messages: bytes may arrive as str or bin, integers in any
 * width, nil means absent, and every failure names the message and field it happened in.
 */
public final class MsgPackReader implements AutoCloseable {
  private final MessageUnpacker in;

  /** The last map key read, so a corrupt value that is skipped can still be named. */
  private @Nullable String lastKey;

  private final String message;
  private final int length;

  private MsgPackReader(byte[] bytes, String message) {
    this.in = MessagePack.newDefaultUnpacker(bytes);
    this.message = message;
    this.length = bytes.length;
  }

  /**
   * Refuses a declared size (bytes, or elements of at least one byte each) that the remaining input
   * cannot hold, before anything is allocated: a hostile 5-byte header must not make us allocate
   * gigabytes.
   */
  private int checked(long declared, String field) {
    long remaining = length - in.getTotalReadBytes();
    if (declared < 0 || declared > remaining) {
      throw new MsgPackException(
          "invalid msgpack "
              + message
              + ": field '"
              + field
              + "' declares "
              + declared
              + " bytes or elements but only "
              + remaining
              + " bytes remain");
    }
    return (int) declared;
  }

  /**
   * @param message the protocol type being read, used in error messages (e.g. "Invocation")
   */
  public static MsgPackReader of(byte[] bytes, String message) {
    return new MsgPackReader(bytes, message);
  }

  /**
   * Reads a map header; with {@code allowNil}, nil reads as an empty map.
   *
   * @return the number of entries
   */
  public int mapHeader(String field) {
    try {
      MessageFormat f = in.getNextFormat();
      if (f == MessageFormat.NIL) {
        in.unpackNil();
        return 0;
      }
      if (f.getValueType() != ValueType.MAP) {
        throw error(field, "a map", f);
      }
      return checked(in.unpackMapHeader(), field);
    } catch (IOException | MessagePackException e) {
      throw truncated(field, e);
    }
  }

  public int arrayHeader(String field) {
    try {
      MessageFormat f = in.getNextFormat();
      if (f == MessageFormat.NIL) {
        in.unpackNil();
        return 0;
      }
      if (f.getValueType() != ValueType.ARRAY) {
        throw error(field, "an array", f);
      }
      return checked(in.unpackArrayHeader(), field);
    } catch (IOException | MessagePackException e) {
      throw truncated(field, e);
    }
  }

  /** A map key; keys are strings in every message of this protocol. */
  public String key() {
    lastKey = string("map key");
    return lastKey;
  }

  /** str or bin as text; nil as null. */
  public @Nullable String stringOrNull(String field) {
    try {
      MessageFormat f = in.getNextFormat();
      switch (f.getValueType()) {
        case NIL -> {
          in.unpackNil();
          return null;
        }
        case STRING -> {
          int n = checked(in.unpackRawStringHeader(), field);
          return new String(in.readPayload(n), StandardCharsets.UTF_8);
        }
        case BINARY -> {
          int n = checked(in.unpackBinaryHeader(), field);
          return new String(in.readPayload(n), StandardCharsets.UTF_8);
        }
        default -> throw error(field, "a string", f);
      }
    } catch (IOException | MessagePackException e) {
      throw truncated(field, e);
    }
  }

  /** str or bin as text; nil as "". */
  public String string(String field) {
    String s = stringOrNull(field);
    return s == null ? "" : s;
  }

  /**
   * bin or str as raw bytes (no UTF-8 check), nil as empty. An empty array also reads as empty
   * because the OTP host sends {@code msg: []} for a stale subscription.
   */
  public byte[] bytes(String field) {
    try {
      MessageFormat f = in.getNextFormat();
      switch (f.getValueType()) {
        case NIL -> {
          in.unpackNil();
          return new byte[0];
        }
        case STRING -> {
          return in.readPayload(checked(in.unpackRawStringHeader(), field));
        }
        case BINARY -> {
          return in.readPayload(checked(in.unpackBinaryHeader(), field));
        }
        case ARRAY -> {
          int n = checked(in.unpackArrayHeader(), field);
          byte[] out = new byte[n];
          for (int i = 0; i < n; i++) {
            out[i] = (byte) in.unpackInt();
          }
          return out;
        }
        default -> throw error(field, "bytes (bin or str)", f);
      }
    } catch (IOException | MessagePackException e) {
      throw truncated(field, e);
    }
  }

  /** Any integer width; nil as null. */
  public @Nullable Long longOrNull(String field) {
    try {
      MessageFormat f = in.getNextFormat();
      if (f == MessageFormat.NIL) {
        in.unpackNil();
        return null;
      }
      if (f.getValueType() != ValueType.INTEGER) {
        throw error(field, "an integer", f);
      }
      return in.unpackLong();
    } catch (MessageTypeException e) {
      throw new MsgPackException(message + " field '" + field + "': integer out of range", e);
    } catch (IOException | MessagePackException e) {
      throw truncated(field, e);
    }
  }

  public long longValue(String field, long defaultValue) {
    Long v = longOrNull(field);
    return v == null ? defaultValue : v;
  }

  /**
   * An integer that must fit Java's int (the i32 fields of the interfaces); nil gives the default.
   */
  public int intValue(String field, int defaultValue) {
    long v = longValue(field, defaultValue);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new MsgPackException(
          message + " field '" + field + "': " + v + " is out of the 32-bit range");
    }
    return (int) v;
  }

  public boolean bool(String field, boolean defaultValue) {
    try {
      MessageFormat f = in.getNextFormat();
      if (f == MessageFormat.NIL) {
        in.unpackNil();
        return defaultValue;
      }
      if (f.getValueType() != ValueType.BOOLEAN) {
        throw error(field, "a boolean", f);
      }
      return in.unpackBoolean();
    } catch (IOException | MessagePackException e) {
      throw truncated(field, e);
    }
  }

  public Map<String, String> stringMap(String field) {
    int n = mapHeader(field);
    Map<String, String> out = new LinkedHashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      out.put(key(), string(field));
    }
    return out;
  }

  public List<String> stringList(String field) {
    int n = arrayHeader(field);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(string(field));
    }
    return out;
  }

  /** HTTP-style headers: map of name to list of values; a bare string value is one value. */
  public Map<String, List<String>> headerMap(String field) {
    int n = mapHeader(field);
    Map<String, List<String>> out = new LinkedHashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      String k = key();
      try {
        if (in.getNextFormat().getValueType() == ValueType.ARRAY) {
          out.put(k, stringList(field));
        } else {
          out.put(k, List.of(string(field)));
        }
      } catch (IOException | MessagePackException e) {
        throw truncated(field, e);
      }
    }
    return out;
  }

  public void skip() {
    try {
      in.skipValue();
    } catch (IOException | MessagePackException e) {
      throw truncated(lastKey == null ? "(unknown key)" : lastKey, e);
    }
  }

  public boolean hasNext() {
    try {
      return in.hasNext();
    } catch (IOException e) {
      return false;
    }
  }

  private MsgPackException error(String field, String expected, MessageFormat got) {
    return new MsgPackException(
        "invalid msgpack "
            + message
            + ": field '"
            + field
            + "' should be "
            + expected
            + " but is "
            + got.getValueType().name().toLowerCase(Locale.ROOT));
  }

  private MsgPackException truncated(String field, Exception e) {
    return new MsgPackException(
        "invalid msgpack " + message + ": truncated or corrupt at field '" + field + "'", e);
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      // reading from a byte array: nothing to release
    }
  }
}
