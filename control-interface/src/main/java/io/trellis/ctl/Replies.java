package io.trellis.ctl;

import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.ctl.Ack;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reading replies: parse errors become {@link BadReplyException}, error acks {@link
 * CtlRejectedException}.
 */
final class Replies {
  private Replies() {}

  /**
   * Queries answer with data, but a host that cannot serve one answers with an error ack.
   *
   * @throws CtlRejectedException for {@code accepted: false}
   */
  static void rejectIfAck(byte[] reply, String what) {
    Ack ack;
    try {
      ack = Ack.fromJson(reply);
    } catch (LatticeException notAnAck) {
      return;
    }
    if (!ack.accepted()) {
      throw new CtlRejectedException(what + " was refused: " + ack.error(), ack.error());
    }
  }

  /**
   * A host that cannot read an auction request answers with an error ack instead of staying silent.
   */
  static <T> Function<byte[], T> auctionReply(Function<byte[], T> parser, String what) {
    return reply -> {
      rejectIfAck(reply, what);
      return parser.apply(reply);
    };
  }

  static <T> T parse(byte[] reply, Function<byte[], T> parser, String what) {
    try {
      return parser.apply(reply);
    } catch (CtlRejectedException e) {
      throw e;
    } catch (LatticeException | IllegalArgumentException e) {
      throw new BadReplyException(
          "unreadable "
              + what
              + ": "
              + e.getMessage()
              + " (got: "
              + abbreviate(new String(reply, StandardCharsets.UTF_8))
              + ")",
          e);
    }
  }

  static <T> List<T> parseAll(List<byte[]> replies, Function<byte[], T> parser, String what) {
    List<T> out = new ArrayList<>(replies.size());
    for (byte[] r : replies) {
      out.add(parse(r, parser, what));
    }
    return out;
  }

  /** A command's ack; its refusal stays an ack ({@code accepted == false}). */
  static Ack ack(byte[] reply, String what) {
    return parse(reply, Ack::fromJson, "reply to " + what);
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }
}
