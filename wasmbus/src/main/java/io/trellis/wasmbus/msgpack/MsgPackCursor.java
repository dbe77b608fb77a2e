package io.trellis.wasmbus.msgpack;

/**
 * A position in msgpack bytes for {@link MsgPackReader}: the format bytes, the big-endian integers,
 * and skipping a whole value. Failures are {@link Corrupt}, which the reader turns into a {@link
 * MsgPackException} naming the message and field.
 */
final class MsgPackCursor {
  final byte[] bytes;
  final int limit;
  int pos;

  MsgPackCursor(byte[] bytes) {
    this.bytes = bytes;
    this.limit = bytes.length;
  }

  /** Thrown inside the reader when the input ends early or holds a byte no format starts with. */
  static final class Corrupt extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Corrupt(String what) {
      super(what, null, false, false);
    }
  }

  int peek() {
    if (pos >= limit) {
      throw new Corrupt("end of input");
    }
    return bytes[pos] & 0xff;
  }

  int u8() {
    if (pos >= limit) {
      throw new Corrupt("end of input");
    }
    return bytes[pos++] & 0xff;
  }

  int u16() {
    return (u8() << 8) | u8();
  }

  long u32() {
    return ((long) u8() << 24) | (u8() << 16) | (u8() << 8) | u8();
  }

  long s64() {
    return (u32() << 32) | u32();
  }

  /** The msgpack type of the value starting with byte {@code b}, as msgpack names it. */
  static String typeOf(int b) {
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
  int strLength(int b) {
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
  int binLength(int b) {
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
  long containerLength(int b, int fix, int b16, int b32) {
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

  /** Skips one value of any type; iterative, so hostile nesting cannot exhaust the stack. */
  void skipValue() {
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

  void advance(long n) {
    if (n > limit - pos) {
      throw new Corrupt("end of input");
    }
    pos += (int) n;
  }
}
