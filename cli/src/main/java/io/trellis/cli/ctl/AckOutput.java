package io.trellis.cli.ctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.ctl.CtlRejectedException;
import io.trellis.wasmbus.ctl.Ack;

/**
 * Reports a command's ack: with {@code -o json} the ack itself (plus any extra fields) on stdout,
 * else one result line; a refusal then fails the command with the host's reason on stderr. An
 * accepted ack with a note (nothing to stop, entries dropped) prints the note instead of the result
 * line: the command succeeded, but not in the way the result line would claim.
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
      ctl.out().println(ack.error().isEmpty() ? done : "Accepted: " + ack.error());
      ctl.out().flush();
    }
  }
}
