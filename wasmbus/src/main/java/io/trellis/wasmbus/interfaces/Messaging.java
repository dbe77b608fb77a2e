package io.trellis.wasmbus.interfaces;

import io.trellis.wasmbus.msgpack.MsgPackReader;
import io.trellis.wasmbus.msgpack.MsgPackWriter;
import org.jspecify.annotations.Nullable;

/** {@code wasmcloud:messaging} operations and payloads (PROTOCOL.md §5.4). */
public final class Messaging {
  public static final String PUBLISH = "Messaging.Publish";
  public static final String REQUEST = "Messaging.Request";
  public static final String HANDLE_MESSAGE = "MessageSubscriber.HandleMessage";

  private Messaging() {}

  /**
   * PubMessage, SubMessage and ReplyMessage share one wire shape: {@code {subject, replyTo?,
   * body}}, with {@code replyTo} omitted when absent.
   */
  public record Message(String subject, @Nullable String replyTo, byte[] body) {
    public Message {
      body = body == null ? new byte[0] : body;
      replyTo = replyTo == null || replyTo.isEmpty() ? null : replyTo;
    }

    public byte[] toMsgPack() {
      MsgPackWriter w = MsgPackWriter.create(body.length + 64);
      w.map(replyTo == null ? 2 : 3).field("subject", subject);
      if (replyTo != null) {
        w.field("replyTo", replyTo);
      }
      return w.field("body", body).toByteArray();
    }

    public static Message fromMsgPack(byte[] bytes) {
      try (MsgPackReader r = MsgPackReader.of(bytes, "Message")) {
        int n = r.mapHeader("Message");
        String subject = "";
        String replyTo = null;
        byte[] body = new byte[0];
        for (int i = 0; i < n; i++) {
          switch (r.key()) {
            case "subject" -> subject = r.string("subject");
            case "replyTo" -> replyTo = r.stringOrNull("replyTo");
            case "body" -> body = r.bytes("body");
            default -> r.skip();
          }
        }
        return new Message(subject, replyTo, body);
      }
    }
  }

  /** Messaging.Request input. */
  public record RequestMessage(String subject, byte[] body, long timeoutMs) {
    public RequestMessage {
      body = body == null ? new byte[0] : body;
    }

    public byte[] toMsgPack() {
      return MsgPackWriter.create(body.length + 64)
          .map(3)
          .field("subject", subject)
          .field("body", body)
          .field("timeoutMs", timeoutMs)
          .toByteArray();
    }

    public static RequestMessage fromMsgPack(byte[] bytes) {
      try (MsgPackReader r = MsgPackReader.of(bytes, "RequestMessage")) {
        int n = r.mapHeader("RequestMessage");
        String subject = "";
        byte[] body = new byte[0];
        long timeout = 0;
        for (int i = 0; i < n; i++) {
          switch (r.key()) {
            case "subject" -> subject = r.string("subject");
            case "body" -> body = r.bytes("body");
            case "timeoutMs" -> timeout = r.longValue("timeoutMs", 0);
            default -> r.skip();
          }
        }
        return new RequestMessage(subject, body, timeout);
      }
    }
  }
}
