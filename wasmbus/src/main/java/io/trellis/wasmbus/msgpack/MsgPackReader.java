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
  private final byte[] in;
  private final int limit;
  private int pos;

  /** The last map key read, so a corrupt value that is skipped can still be named. */
  private @Nullable String lastKey;

  private final String message;

  private MsgPackReader(byte[] bytes, String message) {
    this.in = bytes;
    this.limit = bytes.length;
    this.message = message;
  }

  /**
   * @param message the protocol type being read, used in error messages (e.g. "Invocation")
   */
  public static MsgPackReader of(byte[] bytes, String message) {
    return new MsgPackReader(bytes, message);
  }

  /** Thrown inside the reader when the input ends early or holds a byte no format starts with. */
  private static final class Corrupt extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Corrupt(String what) {
      super(what, null, false, false);
    }
  }

  /**
   * Refuses a declared size (bytes, or elements of at least one byte each) that the remaining input
   * cannot hold, before anything is allocated: a hostile 5-byte header must not make us allocate
   * gigabytes.
   */
  private int checked(long declared, String field) {
    long remaining = limit - pos;
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

  private int peek() {
    if (pos >= limit) {
      throw new Corrupt("end of input");
    }
    return in[pos] & 0xff;
  }

  private int u8() {
    if (pos >= limit) {
      throw new Corrupt("end of input");
    }
    return in[pos++] & 0xff;
  }

  private int u16() {
    return (u8() << 8) | u8();
  }

  private long u32() {
    return ((long) u8() << 24) | (u8() << 16) | (u8() << 8) | u8();
  }

  private long s64() {
    return (u32() << 32) | u32();
  }

  /** The msgpack type of the value starting with byte {@code b}, as msgpack names it. */
  private static String typeOf(int b) {
    if (b <= 0x7f || b >= 0xe0 || (b >= 0xcc && b <= 0xd3)) {
      return "integer";
    }
    if (b <= 0x8f || b == 0xde || b == 0xdf) {
      return "map";
    }
    if (b <= 0x9f || b == 0xdc || b == 0xdd) {
      return "array";
    }
    if (b <= 0xbf || (b >= 0xd9 && b <= 0xdb)) {
      return "string";
    }
    return switch (b) {
      case 0xc0 -> "nil";
      case 0xc2, 0xc3 -> "boolean";
      case 0xc4, 0xc5, 0xc6 -> "binary";
      case 0xca, 0xcb -> "float";
      case 0xc1 -> "never used";
      default -> "extension";
    };
  }

  /** Length of a str starting with {@code b}, or -1 when {@code b} does not start a str. */
  private int strLength(int b) {
    if (b >= 0xa0 && b <= 0xbf) {
      pos++;
      return b & 0x1f;
    }
    return switch (b) {
      case 0xd9 -> {
        pos++;
        yield u8();
      }
      case 0xda -> {
        pos++;
        yield u16();
      }
      case 0xdb -> {
        pos++;
        yield (int) Math.min(u32(), Integer.MAX_VALUE);
      }
      default -> -1;
    };
  }

  /** Length of a bin starting with {@code b}, or -1 when {@code b} does not start a bin. */
  private int binLength(int b) {
    return switch (b) {
      case 0xc4 -> {
        pos++;
        yield u8();
      }
      case 0xc5 -> {
        pos++;
        yield u16();
      }
      case 0xc6 -> {
        pos++;
        yield (int) Math.min(u32(), Integer.MAX_VALUE);
      }
      default -> -1;
    };
  }

  /** Entries of a container starting with {@code b} ({@code fix} = 0x80 map, 0x90 array). */
  private long containerLength(int b, int fix, int b16, int b32) {
    if ((b & 0xf0) == fix) {
      pos++;
      return b & 0x0f;
    }
    if (b == b16) {
      pos++;
      return u16();
    }
    if (b == b32) {
      pos++;
      return u32();
    }
    return -1;
  }

  /**
   * Reads a map header; nil reads as an empty map.
   *
   * @return the number of entries
   */
  public int mapHeader(String field) {
    try {
      int b = peek();
      if (b == 0xc0) {
        pos++;
        return 0;
      }
      long n = containerLength(b, 0x80, 0xde, 0xdf);
      if (n < 0) {
        throw error(field, "a map", b);
      }
      return checked(n, field);
    } catch (Corrupt e) {
      throw truncated(field, e);
    }
  }

  public int arrayHeader(String field) {
    try {
      int b = peek();
      if (b == 0xc0) {
        pos++;
        return 0;
      }
      long n = containerLength(b, 0x90, 0xdc, 0xdd);
      if (n < 0) {
        throw error(field, "an array", b);
      }
      return checked(n, field);
    } catch (Corrupt e) {
      throw truncated(field, e);
    }
  }

  /** A map key; keys are strings in every message of this protocol. */
  public String key() {
    int start = pos;
    try {
      int n = strLength(peek());
      if (n >= 0) {
        checked(n, "map key");
        String known = ProtocolKeys.find(in, pos, n);
        if (known != null) {
          pos += n;
          lastKey = known;
          return known;
        }
      }
    } catch (Corrupt e) {
      throw truncated("map key", e);
    }
    pos = start;
    lastKey = string("map key");
    return lastKey;
  }

  /** str or bin as text; nil as null. */
  public @Nullable String stringOrNull(String field) {
    try {
      int b = peek();
      if (b == 0xc0) {
        pos++;
        return null;
      }
      int n = strLength(b);
      if (n < 0) {
        n = binLength(b);
      }
      if (n < 0) {
        throw error(field, "a string", b);
      }
      checked(n, field);
      String s = new String(in, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    } catch (Corrupt e) {
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
      int b = peek();
      if (b == 0xc0) {
        pos++;
        return new byte[0];
      }
      int n = binLength(b);
      if (n < 0) {
        n = strLength(b);
      }
      if (n >= 0) {
        checked(n, field);
        byte[] out = Arrays.copyOfRange(in, pos, pos + n);
        pos += n;
        return out;
      }
      long count = containerLength(b, 0x90, 0xdc, 0xdd);
      if (count < 0) {
        throw error(field, "bytes (bin or str)", b);
      }
      byte[] out = new byte[checked(count, field)];
      for (int i = 0; i < out.length; i++) {
        long v = integer(field);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
          throw new Corrupt("array element out of range");
        }
        out[i] = (byte) v;
      }
      return out;
    } catch (Corrupt e) {
      throw truncated(field, e);
    }
  }

  /** An integer of any width at the cursor; a non-integer is corrupt here. */
  private long integer(String field) {
    int b = u8();
    if (b <= 0x7f) {
      return b;
    }
    if (b >= 0xe0) {
      return (byte) b;
    }
    return switch (b) {
      case 0xcc -> u8();
      case 0xcd -> u16();
      case 0xce -> u32();
      case 0xcf -> {
        long v = s64();
        if (v < 0) {
          throw new MsgPackException(message + " field '" + field + "': integer out of range");
        }
        yield v;
      }
      case 0xd0 -> (byte) u8();
      case 0xd1 -> (short) u16();
      case 0xd2 -> (int) u32();
      case 0xd3 -> s64();
      default -> throw new Corrupt("not an integer");
    };
  }

  /** Any integer width; nil as null. */
  public @Nullable Long longOrNull(String field) {
    try {
      int b = peek();
      if (b == 0xc0) {
        pos++;
        return null;
      }
      if (!typeOf(b).equals("integer")) {
        throw error(field, "an integer", b);
      }
      return integer(field);
    } catch (Corrupt e) {
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
      int b = peek();
      return switch (b) {
        case 0xc0 -> {
          pos++;
          yield defaultValue;
        }
        case 0xc2 -> {
          pos++;
          yield false;
        }
        case 0xc3 -> {
          pos++;
          yield true;
        }
        default -> throw error(field, "a boolean", b);
      };
    } catch (Corrupt e) {
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
        b = peek();
      } catch (Corrupt e) {
        throw truncated(field, e);
      }
      if (typeOf(b).equals("array")) {
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
      long pending = 1;
      while (pending > 0) {
        pending--;
        int b = u8();
        if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
          continue;
        }
        if (b <= 0x8f) {
          pending += 2L * (b & 0x0f);
        } else if (b <= 0x9f) {
          pending += b & 0x0f;
        } else if (b <= 0xbf) {
          advance(b & 0x1f);
        } else {
          pending += skipLong(b);
        }
        if (pending > limit - pos) {
          throw new Corrupt("more elements declared than bytes remain");
        }
      }
    } catch (Corrupt e) {
      throw truncated(lastKey == null ? "(unknown key)" : lastKey, e);
    }
  }

  /** Skips the payload of a value with a non-fix format byte; returns the elements it contains. */
  private long skipLong(int b) {
    switch (b) {
      case 0xc4, 0xd9 -> advance(u8());
      case 0xc5, 0xda -> advance(u16());
      case 0xc6, 0xdb -> advance(u32());
      case 0xc7 -> advance(u8() + 1L); // ext 8: length, type, data
      case 0xc8 -> advance(u16() + 1L);
      case 0xc9 -> advance(u32() + 1L);
      case 0xca -> advance(4);
      case 0xcb -> advance(8);
      case 0xcc, 0xd0 -> advance(1);
      case 0xcd, 0xd1 -> advance(2);
      case 0xce, 0xd2 -> advance(4);
      case 0xcf, 0xd3 -> advance(8);
      case 0xd4 -> advance(2); // fixext 1..16: type + data
      case 0xd5 -> advance(3);
      case 0xd6 -> advance(5);
      case 0xd7 -> advance(9);
      case 0xd8 -> advance(17);
      case 0xdc -> {
        return u16();
      }
      case 0xdd -> {
        return u32();
      }
      case 0xde -> {
        return 2L * u16();
      }
      case 0xdf -> {
        return 2 * u32();
      }
      default -> throw new Corrupt("byte 0xc1 starts no msgpack value");
    }
    return 0;
  }

  private void advance(long n) {
    if (n > limit - pos) {
      throw new Corrupt("end of input");
    }
    pos += (int) n;
  }

  public boolean hasNext() {
    return pos < limit;
  }

  private MsgPackException error(String field, String expected, int formatByte) {
    if (formatByte == 0xc1) {
      return truncated(field, new Corrupt("byte 0xc1 starts no msgpack value"));
    }
    return new MsgPackException(
        "invalid msgpack "
            + message
            + ": field '"
            + field
            + "' should be "
            + expected
            + " but is "
            + typeOf(formatByte));
  }

  private MsgPackException truncated(String field, Exception e) {
    return new MsgPackException(
        "invalid msgpack " + message + ": truncated or corrupt at field '" + field + "'", e);
  }

  /** Reading from an array holds nothing to release; kept so callers can use try-with-resources. */
  @Override
  public void close() {}
}
