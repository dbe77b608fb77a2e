package io.trellis.wasmbus.msgpack;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Exact msgpack writing as rmp_serde "named" does it: maps with string keys in declared order, byte
 * fields as bin, smallest integer encodings (the same bytes msgpack-core's packer writes).
 *
 * <p>Writes straight into one array: a writer created with the exact size (see {@link
 * #strSize}/{@link #binSize}; for ASCII text the UTF-8 length is the string's length) returns that
 * array from {@link #toByteArray()} without a copy, so a message costs one allocation of its own
 * size.
 */
public final class MsgPackWriter {
  private byte[] buf;
  private int pos;

  private MsgPackWriter(int capacity) {
    this.buf = new byte[Math.max(capacity, 16)];
  }

  public static MsgPackWriter create() {
    return new MsgPackWriter(256);
  }

  /**
   * @param capacityHint the expected size; when exact, {@link #toByteArray()} copies nothing
   */
  public static MsgPackWriter create(int capacityHint) {
    return new MsgPackWriter(capacityHint);
  }

  /** Encoded size of a str whose UTF-8 form has {@code utf8Length} bytes. */
  public static int strSize(int utf8Length) {
    return (utf8Length < 32 ? 1 : utf8Length < 256 ? 2 : utf8Length < 65536 ? 3 : 5) + utf8Length;
  }

  /** Encoded size of a bin of {@code length} bytes. */
  public static int binSize(int length) {
    return (length < 256 ? 2 : length < 65536 ? 3 : 5) + length;
  }

  /** Encoded size of an integer (the smallest encoding, as {@link #integer} writes it). */
  public static int integerSize(long v) {
    if (v >= -32 && v < 128) {
      return 1;
    }
    if (v >= Byte.MIN_VALUE && v < 256) {
      return 2;
    }
    if (v >= Short.MIN_VALUE && v < 65536) {
      return 3;
    }
    if (v >= Integer.MIN_VALUE && v < (1L << 32)) {
      return 5;
    }
    return 9;
  }

  /** Encoded size of a map or array header. */
  public static int containerHeaderSize(int entries) {
    return entries < 16 ? 1 : entries < 65536 ? 3 : 5;
  }

  private void ensure(int more) {
    if (pos + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }
  }

  private void put(int b) {
    buf[pos++] = (byte) b;
  }

  private void put16(int v) {
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  private void put32(int v) {
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  private void put64(long v) {
    put32((int) (v >>> 32));
    put32((int) v);
  }

  private void containerHeader(int entries, int fix, int b16, int b32) {
    ensure(5);
    if (entries < 16) {
      put(fix | entries);
    } else if (entries < 65536) {
      put(b16);
      put16(entries);
    } else {
      put(b32);
      put32(entries);
    }
  }

  public MsgPackWriter map(int entries) {
    containerHeader(entries, 0x80, 0xde, 0xdf);
    return this;
  }

  public MsgPackWriter array(int entries) {
    containerHeader(entries, 0x90, 0xdc, 0xdd);
    return this;
  }

  private void strHeader(int length) {
    if (length < 32) {
      put(0xa0 | length);
    } else if (length < 256) {
      put(0xd9);
      put(length);
    } else if (length < 65536) {
      put(0xda);
      put16(length);
    } else {
      put(0xdb);
      put32(length);
    }
  }

  public MsgPackWriter str(String value) {
    int n = value.length();
    if (n > 24) {
      // the JDK checks and copies Latin-1 text with vector instructions: faster than a char loop
      return strBytes(value.getBytes(StandardCharsets.UTF_8));
    }
    ensure(1 + n);
    int start = pos;
    strHeader(n);
    // short ASCII (every key and most values of the protocol) is copied char by char; anything
    // else is re-written from its UTF-8 bytes, whose length the header needs
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c >= 0x80) {
        pos = start;
        return strBytes(value.getBytes(StandardCharsets.UTF_8));
      }
      buf[pos++] = (byte) c;
    }
    return this;
  }

  /** A str whose UTF-8 bytes the caller already has. */
  public MsgPackWriter strBytes(byte[] utf8) {
    ensure(5 + utf8.length);
    strHeader(utf8.length);
    System.arraycopy(utf8, 0, buf, pos, utf8.length);
    pos += utf8.length;
    return this;
  }

  public MsgPackWriter bin(byte[] value) {
    int n = value.length;
    ensure(5 + n);
    if (n < 256) {
      put(0xc4);
      put(n);
    } else if (n < 65536) {
      put(0xc5);
      put16(n);
    } else {
      put(0xc6);
      put32(n);
    }
    System.arraycopy(value, 0, buf, pos, n);
    pos += n;
    return this;
  }

  public MsgPackWriter integer(long v) {
    ensure(9);
    if (v < -(1L << 5)) {
      if (v < -(1L << 15)) {
        if (v < -(1L << 31)) {
          put(0xd3);
          put64(v);
        } else {
          put(0xd2);
          put32((int) v);
        }
      } else if (v < -(1 << 7)) {
        put(0xd1);
        put16((int) v);
      } else {
        put(0xd0);
        put((int) v);
      }
    } else if (v < (1 << 7)) {
      put((int) v); // positive or negative fixint
    } else if (v < (1L << 16)) {
      if (v < (1 << 8)) {
        put(0xcc);
        put((int) v);
      } else {
        put(0xcd);
        put16((int) v);
      }
    } else if (v < (1L << 32)) {
      put(0xce);
      put32((int) v);
    } else {
      put(0xcf);
      put64(v);
    }
    return this;
  }

  public MsgPackWriter bool(boolean value) {
    ensure(1);
    put(value ? 0xc3 : 0xc2);
    return this;
  }

  public MsgPackWriter nil() {
    ensure(1);
    put(0xc0);
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

  /** The bytes written; the buffer itself when it was created with the exact size. */
  public byte[] toByteArray() {
    return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
  }
}
