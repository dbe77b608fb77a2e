package io.trellis.cli.ctl;

import io.trellis.ctl.CtlClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Chooses a host by auction when the user gave none (PROTOCOL.md §8.4). {@code first} (the default)
 * takes the first host to bid and stops listening, so a start does not wait out the auction window;
 * {@code random} collects every bid for the whole window and picks one at random, spreading load.
 */
final class Placement {
  enum Pick {
    first,
    random
  }

  private Placement() {}

  static String actorHost(
      CtlClient c,
      CtlOptions ctl,
      String ref,
      Map<String, String> constraints,
      Duration wait,
      Pick pick) {
    ctl.err().println("Auctioning actor " + ref + constraintText(constraints) + "…");
    ctl.err().flush();
    List<String> bids =
        c.auctionActor(ref, constraints, wait, pick == Pick.first ? 1 : Integer.MAX_VALUE).stream()
            .map(a -> a.hostId())
            .toList();
    return choose(ctl, bids, constraints, pick, c.latticePrefix(), "");
  }

  static String providerHost(
      CtlClient c,
      CtlOptions ctl,
      String ref,
      String linkName,
      Map<String, String> constraints,
      Duration wait,
      Pick pick) {
    ctl.err()
        .println(
            "Auctioning provider "
                + ref
                + " (link name '"
                + linkName
                + "')"
                + constraintText(constraints)
                + "…");
    ctl.err().flush();
    List<String> bids =
        c
            .auctionProvider(
                ref, linkName, constraints, wait, pick == Pick.first ? 1 : Integer.MAX_VALUE)
            .stream()
            .map(a -> a.hostId())
            .toList();
    return choose(
        ctl,
        bids,
        constraints,
        pick,
        c.latticePrefix(),
        "; hosts already running it with link name '" + linkName + "' do not bid");
  }

  private static String choose(
      CtlOptions ctl,
      List<String> bids,
      Map<String, String> constraints,
      Pick pick,
      String lattice,
      String note) {
    if (bids.isEmpty()) {
      throw new NoBidsException(
          constraints.isEmpty()
              ? "no hosts responded to auction in lattice '"
                  + lattice
                  + "' (is a host running? try trellis up"
                  + note
                  + ")"
              : "no hosts responded to auction with constraints "
                  + KeyValues.show(constraints)
                  + note.replace("; ", " (")
                  + (note.isEmpty() ? "" : ")"));
    }
    String host =
        pick == Pick.first
            ? bids.get(0)
            : bids.get(ThreadLocalRandom.current().nextInt(bids.size()));
    ctl.err()
        .println(
            pick == Pick.first
                ? "Host " + host + " bid first"
                : bids.size() + " host(s) bid; picked " + host + " at random");
    ctl.err().flush();
    return host;
  }

  private static String constraintText(Map<String, String> constraints) {
    return constraints.isEmpty() ? "" : " with constraints " + KeyValues.show(constraints);
  }
}
