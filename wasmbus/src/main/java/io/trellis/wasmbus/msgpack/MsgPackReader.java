package io.trellis.wasmbus.msgpack;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A tolerant msgpack reader for protocol messages: bytes may arrive as str or bin, integers in any
 * width, nil means absent, and every failure names the message and field it happened in.
 *
 * <p>Reads the array it is given in place (no buffers of its own); map keys the protocol uses are
 * returned as constants instead of new strings.
 */
public final class MsgPackReader implements AutoCloseable {
  private final MsgPackCursor in;

  /** The last map key read, so a corrupt value that is skipped can still be named. */
  private @Nullable String lastKey;

  private final String message;

  private MsgPackReader(byte[] bytes, String message) {
    this.in = new MsgPackCursor(bytes);
    this.message = message;
  }

  /**
   * @param message the protocol type being read, used in error messages (e.g. "Invocation")
   */
  public static MsgPackReader of(byte[] bytes, String message) {
    return new MsgPackReader(bytes, message);
  }

  /**
   * Refuses a declared size (bytes, or elements of at least one byte each) that the remaining input
   * cannot hold, before anything is allocated: a hostile 5-byte header must not make us allocate
   * gigabytes.
   */
  private int checked(long declared, String field) {
    long remaining = in.limit - in.pos;
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
   * Reads a map header; nil reads as an empty map.
   *
   * @return the number of entries
   */
  public int mapHeader(String field) {
    try {
      int b = in.peek();
      if (b == 0xc0) {
        in.pos++;
        return 0;
      }
      long n = in.containerLength(b, 0x80, 0xde, 0xdf);
      if (n < 0) {
        throw error(field, "a map", b);
      }
      return checked(n, field);
    } catch (MsgPackCursor.Corrupt e) {
      throw truncated(field, e);
    }
  }

  public int arrayHeader(String field) {
    try {
      int b = in.peek();
      if (b == 0xc0) {
        in.pos++;
        return 0;
      }
      long n = in.containerLength(b, 0x90, 0xdc, 0xdd);
      if (n < 0) {
        throw error(field, "an array", b);
      }
      return checked(n, field);
    } catch (MsgPackCursor.Corrupt e) {
      throw truncated(field, e);
    }
  }

  /** A map key; keys are strings in every message of this protocol. */
  public String key() {
    int start = in.pos;
    try {
      int n = in.strLength(in.peek());
      if (n >= 0) {
        checked(n, "map key");
        String known = ProtocolKeys.find(in.bytes, in.pos, n);
        if (known != null) {
          in.pos += n;
          lastKey = known;
          return known;
        }
      }
    } catch (MsgPackCursor.Corrupt e) {
      throw truncated("map key", e);
    }
    in.pos = start;
    lastKey = string("map key");
    return lastKey;
  }

  /** str or bin as text; nil as null. */
  public @Nullable String stringOrNull(String field) {
    try {
      int b = in.peek();
      if (b == 0xc0) {
        in.pos++;
        return null;
      }
      int n = in.strLength(b);
      if (n < 0) {
        n = in.binLength(b);
      }
      if (n < 0) {
        throw error(field, "a string", b);
      }
      checked(n, field);
      String s = new String(in.bytes, in.pos, n, StandardCharsets.UTF_8);
      in.pos += n;
      return s;
    } catch (MsgPackCursor.Corrupt e) {
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
      int b = in.peek();
      if (b == 0xc0) {
        in.pos++;
        return new byte[0];
      }
      int n = in.binLength(b);
      if (n < 0) {
        n = in.strLength(b);
      }
      if (n >= 0) {
        checked(n, field);
        byte[] out = Arrays.copyOfRange(in.bytes, in.pos, in.pos + n);
        in.pos += n;
        return out;
      }
      long count = in.containerLength(b, 0x90, 0xdc, 0xdd);
      if (count < 0) {
        throw error(field, "bytes (bin or str)", b);
      }
      byte[] out = new byte[checked(count, field)];
      for (int i = 0; i < out.length; i++) {
        long v = integer(field);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
          throw new MsgPackCursor.Corrupt("array element out of range");
        }
        out[i] = (byte) v;
      }
      return out;
    } catch (MsgPackCursor.Corrupt e) {
      throw truncated(field, e);
    }
  }

  /** An integer of any width at the cursor; a non-integer is corrupt here. */
  private long integer(String field) {
    int b = in.u8();
    if (b <= 0x7f) {
      return b;
    }
    if (b >= 0xe0) {
      return (byte) b;
    }
    return switch (b) {
      case 0xcc -> in.u8();
      case 0xcd -> in.u16();
      case 0xce -> in.u32();
      case 0xcf -> {
        long v = in.s64();
        if (v < 0) {
          throw new MsgPackException(message + " field '" + field + "': integer out of range");
        }
        yield v;
      }
      case 0xd0 -> (byte) in.u8();
      case 0xd1 -> (short) in.u16();
      case 0xd2 -> (int) in.u32();
      case 0xd3 -> in.s64();
      default -> throw new MsgPackCursor.Corrupt("not an integer");
    };
  }

  /** Any integer width; nil as null. */
  public @Nullable Long longOrNull(String field) {
    try {
      int b = in.peek();
      if (b == 0xc0) {
        in.pos++;
        return null;
      }
      if (!MsgPackCursor.typeOf(b).equals("integer")) {
        throw error(field, "an integer", b);
      }
      return integer(field);
    } catch (MsgPackCursor.Corrupt e) {
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
      int b = in.peek();
      return switch (b) {
        case 0xc0 -> {
          in.pos++;
          yield defaultValue;
        }
        case 0xc2 -> {
          in.pos++;
          yield false;
        }
        case 0xc3 -> {
          in.pos++;
          yield true;
        }
        default -> throw error(field, "a boolean", b);
      };
    } catch (MsgPackCursor.Corrupt e) {
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
      int b;
      try {
        b = in.peek();
      } catch (MsgPackCursor.Corrupt e) {
        throw truncated(field, e);
      }
      if (MsgPackCursor.typeOf(b).equals("array")) {
        out.put(k, stringList(field));
      } else {
        out.put(k, List.of(string(field)));
      }
    }
    return out;
  }

  /** Skips one value of any type; iterative, so hostile nesting cannot exhaust the stack. */
  public void skip() {
    try {
      in.skipValue();
    } catch (MsgPackCursor.Corrupt e) {
      throw truncated(lastKey == null ? "(unknown key)" : lastKey, e);
    }
  }

  public boolean hasNext() {
    return in.pos < in.limit;
  }

  private MsgPackException error(String field, String expected, int formatByte) {
    if (formatByte == 0xc1) {
      return truncated(field, new MsgPackCursor.Corrupt("byte 0xc1 starts no msgpack value"));
    }
    return new MsgPackException(
        "invalid msgpack "
            + message
            + ": field '"
            + field
            + "' should be "
            + expected
            + " but is "
            + MsgPackCursor.typeOf(formatByte));
  }

  private MsgPackException truncated(String field, Exception e) {
    return new MsgPackException(
        "invalid msgpack " + message + ": truncated or corrupt at field '" + field + "'", e);
  }

  /** Reading from an array holds nothing to release; kept so callers can use try-with-resources. */
  @Override
  public void close() {}
}
