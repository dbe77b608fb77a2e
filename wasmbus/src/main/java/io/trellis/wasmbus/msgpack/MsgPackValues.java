package io.trellis.wasmbus.msgpack;

import java.util.List;

/** Bare (non-map) msgpack payloads: the str, bool, int and list results of interface operations. */
public final class MsgPackValues {
  private MsgPackValues() {}

  public static byte[] string(String value) {
    return MsgPackWriter.create().str(value).toByteArray();
  }

  public static String string(byte[] bytes, String what) {
    try (MsgPackReader r = MsgPackReader.of(bytes, what)) {
      return r.string(what);
    }
  }

  public static byte[] bool(boolean value) {
    return MsgPackWriter.create().bool(value).toByteArray();
  }

  public static boolean bool(byte[] bytes, String what) {
    try (MsgPackReader r = MsgPackReader.of(bytes, what)) {
      return r.bool(what, false);
    }
  }

  public static byte[] integer(long value) {
    return MsgPackWriter.create().integer(value).toByteArray();
  }

  public static long integer(byte[] bytes, String what) {
    try (MsgPackReader r = MsgPackReader.of(bytes, what)) {
      Long v = r.longOrNull(what);
      if (v == null) {
        throw new MsgPackException("invalid msgpack " + what + ": expected an integer, got nil");
      }
      return v;
    }
  }

  public static byte[] stringList(List<String> values) {
    return MsgPackWriter.create().stringList(values).toByteArray();
  }

  public static List<String> stringList(byte[] bytes, String what) {
    try (MsgPackReader r = MsgPackReader.of(bytes, what)) {
      return r.stringList(what);
    }
  }
}
