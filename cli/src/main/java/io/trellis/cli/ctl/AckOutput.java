package io.trellis.cli.ctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.ctl.CtlRejectedException;
import io.trellis.wasmbus.ctl.Ack;

/**
 * Reports a command's ack: with {@code -o json} the ack itself (plus any extra fields) on stdout,
 * else one result line; a refusal then fails the command with the host's reason on stderr.
 */
final class AckOutput {
  private AckOutput() {}

  /**
   * @param refused how to phrase a refusal, e.g. "host N… refused to stop actor M…"
   * @param done the text-mode result line for an accepted ack
   */
  static void report(CtlOptions ctl, Ack ack, String refused, String done) {
    report(ctl, ack, refused, done, JsonOut.ack(ack));
  }

  static void report(CtlOptions ctl, Ack ack, String refused, String done, ObjectNode json) {
    if (ctl.json()) {
      JsonOut.print(ctl.out(), json);
    }
    if (!ack.accepted()) {
      throw new CtlRejectedException(refused + ": " + ack.error(), ack.error());
    }
    if (!ctl.json()) {
      ctl.out().println(done);
      ctl.out().flush();
    }
  }
}
