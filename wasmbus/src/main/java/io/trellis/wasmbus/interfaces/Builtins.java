package io.trellis.wasmbus.interfaces;

import io.trellis.wasmbus.msgpack.MsgPackReader;
import io.trellis.wasmbus.msgpack.MsgPackWriter;

/** Payloads of the host-builtin capabilities logging and numbergen (PROTOCOL.md §1.5, §5.5). */
public final class Builtins {
  public static final String WRITE_LOG = "Logging.WriteLog";
  public static final String GENERATE_GUID = "NumberGen.GenerateGuid";
  public static final String RANDOM_32 = "NumberGen.Random32";
  public static final String RANDOM_IN_RANGE = "NumberGen.RandomInRange";

  private Builtins() {}

  /** Logging.WriteLog input; level is one of debug, info, warn, error. */
  public record LogEntry(String level, String text) {
    public byte[] toMsgPack() {
      return MsgPackWriter.create().map(2).field("level", level).field("text", text).toByteArray();
    }

    public static LogEntry fromMsgPack(byte[] bytes) {
      try (MsgPackReader r = MsgPackReader.of(bytes, "LogEntry")) {
        int n = r.mapHeader("LogEntry");
        String level = "";
        String text = "";
        for (int i = 0; i < n; i++) {
          switch (r.key()) {
            case "level" -> level = r.string("level");
            case "text" -> text = r.string("text");
            default -> r.skip();
          }
        }
        return new LogEntry(level, text);
      }
    }
  }

  /** NumberGen.RandomInRange input; both OTP implementations treat the range as inclusive. */
  public record RangeLimit(long min, long max) {
    public byte[] toMsgPack() {
      return MsgPackWriter.create().map(2).field("min", min).field("max", max).toByteArray();
    }

    public static RangeLimit fromMsgPack(byte[] bytes) {
      try (MsgPackReader r = MsgPackReader.of(bytes, "RangeLimit")) {
        int n = r.mapHeader("RangeLimit");
        long min = 0;
        long max = 0;
        for (int i = 0; i < n; i++) {
          switch (r.key()) {
            case "min" -> min = r.longValue("min", 0);
            case "max" -> max = r.longValue("max", 0);
            default -> r.skip();
          }
        }
        return new RangeLimit(min, max);
      }
    }
  }
}
