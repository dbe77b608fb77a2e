package io.trellis.wasmbus.rpc;

import io.trellis.wasmbus.msgpack.MsgPackException;
import io.trellis.wasmbus.msgpack.MsgPackReader;
import io.trellis.wasmbus.msgpack.MsgPackWriter;
import java.util.Map;

/**
 * msgpack for {@link Invocation} and {@link InvocationResponse}: exact on write (keys in the order
 * of PROTOCOL.md §4.3, bytes as bin), tolerant on read (str or bin, any int width, unknown keys
 * skipped, nil as absent).
 */
public final class InvocationCodec {
  private InvocationCodec() {}

  public static byte[] encode(Invocation inv) {
    int entries =
        7 + (inv.contentLength() != null ? 1 : 0) + (inv.traceContext().isEmpty() ? 0 : 1);
    // sized exactly for ASCII text (all the protocol's keys, URLs and ids), so the writer's array
    // is
    // the message: one allocation, no final copy; other text grows the buffer once
    int size =
        MsgPackWriter.containerHeaderSize(entries)
            + key("origin")
            + entitySize(inv.origin())
            + key("target")
            + entitySize(inv.target())
            + field("operation", inv.operation())
            + key("msg")
            + MsgPackWriter.binSize(inv.msg().length)
            + field("id", inv.id())
            + field("encoded_claims", inv.encodedClaims())
            + field("host_id", inv.hostId())
            + (inv.contentLength() != null
                ? key("content_length") + MsgPackWriter.integerSize(inv.contentLength())
                : 0);
    if (!inv.traceContext().isEmpty()) {
      size += key("traceContext") + MsgPackWriter.containerHeaderSize(inv.traceContext().size());
      for (Map.Entry<String, String> e : inv.traceContext().entrySet()) {
        size += field(e.getKey(), e.getValue());
      }
    }
    MsgPackWriter w = MsgPackWriter.create(size);
    w.map(entries);
    w.str("origin");
    entity(w, inv.origin());
    w.str("target");
    entity(w, inv.target());
    w.field("operation", inv.operation());
    w.field("msg", inv.msg());
    w.field("id", inv.id());
    w.field("encoded_claims", inv.encodedClaims());
    w.field("host_id", inv.hostId());
    if (inv.contentLength() != null) {
      w.field("content_length", inv.contentLength());
    }
    if (!inv.traceContext().isEmpty()) {
      w.str("traceContext").stringMap(inv.traceContext());
    }
    return w.toByteArray();
  }

  private static int key(String key) {
    return MsgPackWriter.strSize(key.length()); // protocol keys are ASCII
  }

  private static int field(String key, String value) {
    return key(key) + MsgPackWriter.strSize(value.length()); // exact when ASCII
  }

  private static int entitySize(WasmCloudEntity e) {
    return 1
        + field("public_key", e.publicKey())
        + field("contract_id", e.contractId())
        + field("link_name", e.linkName());
  }

  private static void entity(MsgPackWriter w, WasmCloudEntity e) {
    w.map(3)
        .field("public_key", e.publicKey())
        .field("contract_id", e.contractId())
        .field("link_name", e.linkName());
  }

  public static Invocation decodeInvocation(byte[] bytes) {
    try (MsgPackReader r = MsgPackReader.of(bytes, "Invocation")) {
      int n = r.mapHeader("Invocation");
      WasmCloudEntity origin = null;
      WasmCloudEntity target = null;
      String operation = "";
      byte[] msg = new byte[0];
      String id = "";
      String claims = "";
      String hostId = "";
      Long contentLength = null;
      Map<String, String> trace = Map.of();
      for (int i = 0; i < n; i++) {
        switch (r.key()) {
          case "origin" ->
              origin =
                  entity(
                      r, "origin", "origin.public_key", "origin.contract_id", "origin.link_name");
          case "target" ->
              target =
                  entity(
                      r, "target", "target.public_key", "target.contract_id", "target.link_name");
          case "operation" -> operation = r.string("operation");
          case "msg" -> msg = r.bytes("msg");
          case "id" -> id = r.string("id");
          case "encoded_claims" -> claims = r.string("encoded_claims");
          case "host_id" -> hostId = r.string("host_id");
          case "content_length" -> contentLength = r.longOrNull("content_length");
          case "traceContext" -> trace = r.stringMap("traceContext");
          default -> r.skip();
        }
      }
      if (r.hasNext()) {
        throw new MsgPackException("invalid msgpack Invocation: trailing bytes after the map");
      }
      return new Invocation(
          origin == null ? new WasmCloudEntity("", "", "") : origin,
          target == null ? new WasmCloudEntity("", "", "") : target,
          operation,
          msg,
          id,
          claims,
          hostId,
          contentLength,
          trace);
    }
  }

  /** Error labels are constants, so a decode that succeeds builds no strings for them. */
  private static WasmCloudEntity entity(
      MsgPackReader r, String field, String pkLabel, String contractLabel, String linkLabel) {
    int n = r.mapHeader(field);
    String pk = "";
    String contract = "";
    String link = "";
    for (int i = 0; i < n; i++) {
      switch (r.key()) {
        case "public_key" -> pk = r.string(pkLabel);
        case "contract_id" -> contract = r.string(contractLabel);
        case "link_name" -> link = r.string(linkLabel);
        default -> r.skip();
      }
    }
    return new WasmCloudEntity(pk, contract, link);
  }

  public static byte[] encode(InvocationResponse resp) {
    int entries =
        2
            + (resp.error() != null ? 1 : 0)
            + (resp.contentLength() != null ? 1 : 0)
            + (resp.instanceId() != null ? 1 : 0);
    int size =
        1
            + key("msg")
            + MsgPackWriter.binSize(resp.msg().length)
            + field("invocation_id", resp.invocationId())
            + (resp.error() != null ? field("error", resp.error()) : 0)
            + (resp.contentLength() != null
                ? key("content_length") + MsgPackWriter.integerSize(resp.contentLength())
                : 0)
            + (resp.instanceId() != null ? field("instance_id", resp.instanceId()) : 0);
    MsgPackWriter w = MsgPackWriter.create(size);
    w.map(entries);
    w.field("msg", resp.msg());
    w.field("invocation_id", resp.invocationId());
    if (resp.error() != null) {
      w.field("error", resp.error());
    }
    if (resp.contentLength() != null) {
      w.field("content_length", resp.contentLength());
    }
    if (resp.instanceId() != null) {
      w.field("instance_id", resp.instanceId());
    }
    return w.toByteArray();
  }

  public static InvocationResponse decodeResponse(byte[] bytes) {
    try (MsgPackReader r = MsgPackReader.of(bytes, "InvocationResponse")) {
      int n = r.mapHeader("InvocationResponse");
      byte[] msg = new byte[0];
      String id = "";
      String error = null;
      Long contentLength = null;
      String instanceId = null;
      for (int i = 0; i < n; i++) {
        switch (r.key()) {
          case "msg" -> msg = r.bytes("msg");
          case "invocation_id" -> id = r.string("invocation_id");
          case "error" -> error = r.stringOrNull("error");
          case "content_length" -> contentLength = r.longOrNull("content_length");
          case "instance_id" -> instanceId = r.stringOrNull("instance_id");
          default -> r.skip();
        }
      }
      return new InvocationResponse(msg, id, error, contentLength, instanceId);
    }
  }
}
