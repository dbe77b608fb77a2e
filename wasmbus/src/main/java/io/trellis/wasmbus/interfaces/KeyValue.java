package io.trellis.wasmbus.interfaces;

import io.trellis.wasmbus.msgpack.MsgPackReader;
import io.trellis.wasmbus.msgpack.MsgPackWriter;

/**
 * {@code wasmcloud:keyvalue} operations and their structured payloads (PROTOCOL.md §5.3).
 * Operations with a bare str/bool/int/list input or output use {@link
 * io.trellis.wasmbus.msgpack.MsgPackValues}.
 */
public final class KeyValue {
  public static final String GET = "KeyValue.Get";
  public static final String SET = "KeyValue.Set";
  public static final String DEL = "KeyValue.Del";
  public static final String CONTAINS = "KeyValue.Contains";
  public static final String INCREMENT = "KeyValue.Increment";
  public static final String LIST_ADD = "KeyValue.ListAdd";
  public static final String LIST_DEL = "KeyValue.ListDel";
  public static final String LIST_CLEAR = "KeyValue.ListClear";
  public static final String LIST_RANGE = "KeyValue.ListRange";
  public static final String SET_ADD = "KeyValue.SetAdd";
  public static final String SET_DEL = "KeyValue.SetDel";
  public static final String SET_CLEAR = "KeyValue.SetClear";
  public static final String SET_QUERY = "KeyValue.SetQuery";
  public static final String SET_UNION = "KeyValue.SetUnion";
  public static final String SET_INTERSECTION = "KeyValue.SetIntersection";

  private KeyValue() {}

  /** KeyValue.Get result. */
  public record GetResponse(String value, boolean exists) {
    public byte[] toMsgPack() {
      return MsgPackWriter.create()
          .map(2)
          .field("value", value)
          .field("exists", exists)
          .toByteArray();
    }

    public static GetResponse fromMsgPack(byte[] bytes) {
      try (MsgPackReader r = MsgPackReader.of(bytes, "GetResponse")) {
        int n = r.mapHeader("GetResponse");
        String value = "";
        boolean exists = false;
        for (int i = 0; i < n; i++) {
          switch (r.key()) {
            case "value" -> value = r.string("value");
            case "exists" -> exists = r.bool("exists", false);
            default -> r.skip();
          }
        }
        return new GetResponse(value, exists);
      }
    }
  }

  /** KeyValue.Set input; {@code expires} in seconds, 0 for none. */
  public record SetRequest(String key, String value, long expires) {
    public byte[] toMsgPack() {
      return MsgPackWriter.create()
          .map(3)
          .field("key", key)
          .field("value", value)
          .field("expires", expires)
          .toByteArray();
    }

    public static SetRequest fromMsgPack(byte[] bytes) {
      try (MsgPackReader r = MsgPackReader.of(bytes, "SetRequest")) {
        int n = r.mapHeader("SetRequest");
        String key = "";
        String value = "";
        long expires = 0;
        for (int i = 0; i < n; i++) {
          switch (r.key()) {
            case "key" -> key = r.string("key");
            case "value" -> value = r.string("value");
            case "expires" -> expires = r.longValue("expires", 0);
            default -> r.skip();
          }
        }
        return new SetRequest(key, value, expires);
      }
    }
  }

  /** KeyValue.Increment input: {@code {key, value}} with a signed 32-bit delta. */
  public record IncrementRequest(String key, int value) {
    public byte[] toMsgPack() {
      return MsgPackWriter.create().map(2).field("key", key).field("value", value).toByteArray();
    }

    public static IncrementRequest fromMsgPack(byte[] bytes) {
      try (MsgPackReader r = MsgPackReader.of(bytes, "IncrementRequest")) {
        int n = r.mapHeader("IncrementRequest");
        String key = "";
        int value = 0;
        for (int i = 0; i < n; i++) {
          switch (r.key()) {
            case "key" -> key = r.string("key");
            case "value" -> value = r.intValue("value", 0);
            default -> r.skip();
          }
        }
        return new IncrementRequest(key, value);
      }
    }
  }

  /**
   * The {@code {listName|setName, value}} pair used by ListAdd, ListDel, SetAdd and SetDel.
   *
   * @param nameField "listName" or "setName", the wire name of the collection field
   */
  public record CollectionItem(String nameField, String name, String value) {
    public static CollectionItem list(String name, String value) {
      return new CollectionItem("listName", name, value);
    }

    public static CollectionItem set(String name, String value) {
      return new CollectionItem("setName", name, value);
    }

    public byte[] toMsgPack() {
      return MsgPackWriter.create()
          .map(2)
          .field(nameField, name)
          .field("value", value)
          .toByteArray();
    }

    public static CollectionItem fromMsgPack(byte[] bytes, String nameField) {
      try (MsgPackReader r = MsgPackReader.of(bytes, nameField + " request")) {
        int n = r.mapHeader(nameField + " request");
        String name = "";
        String value = "";
        for (int i = 0; i < n; i++) {
          String k = r.key();
          if (k.equals(nameField)) {
            name = r.string(nameField);
          } else if (k.equals("value")) {
            value = r.string("value");
          } else {
            r.skip();
          }
        }
        return new CollectionItem(nameField, name, value);
      }
    }
  }

  /** KeyValue.ListRange input; {@code start}/{@code stop} are inclusive indexes. */
  public record ListRangeRequest(String listName, int start, int stop) {
    public byte[] toMsgPack() {
      return MsgPackWriter.create()
          .map(3)
          .field("listName", listName)
          .field("start", start)
          .field("stop", stop)
          .toByteArray();
    }

    public static ListRangeRequest fromMsgPack(byte[] bytes) {
      try (MsgPackReader r = MsgPackReader.of(bytes, "ListRangeRequest")) {
        int n = r.mapHeader("ListRangeRequest");
        String name = "";
        int start = 0;
        int stop = 0;
        for (int i = 0; i < n; i++) {
          switch (r.key()) {
            case "listName" -> name = r.string("listName");
            case "start" -> start = r.intValue("start", 0);
            case "stop" -> stop = r.intValue("stop", 0);
            default -> r.skip();
          }
        }
        return new ListRangeRequest(name, start, stop);
      }
    }
  }
}
