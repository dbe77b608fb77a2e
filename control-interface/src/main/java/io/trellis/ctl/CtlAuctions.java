package io.trellis.ctl;

import io.trellis.wasmbus.ctl.Auctions;
import io.trellis.wasmbus.ctl.CtlSubjects;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@link CtlClient}'s auctions (PROTOCOL.md §8.4): scatter/gather, one reply per host that bids.
 */
final class CtlAuctions {
  private final Requester requester;
  private final CtlSubjects subjects;

  CtlAuctions(Requester requester, CtlSubjects subjects) {
    this.requester = requester;
    this.subjects = subjects;
  }

  List<Auctions.ActorAck> actor(
      String ref, Map<String, String> constraints, Duration wait, int maxReplies) {
    byte[] body = new Auctions.ActorRequest(ref, constraints).toJson();
    return Replies.parseAll(
        requester.gather(subjects.auctionActor(), body, wait, maxReplies),
        Replies.auctionReply(Auctions.ActorAck::fromJson, "actor auction"),
        "actor auction reply");
  }

  List<Auctions.ProviderAck> provider(
      String ref, String linkName, Map<String, String> constraints, Duration wait, int maxReplies) {
    byte[] body = new Auctions.ProviderRequest(ref, linkName, constraints).toJson();
    return Replies.parseAll(
        requester.gather(subjects.auctionProvider(), body, wait, maxReplies),
        Replies.auctionReply(Auctions.ProviderAck::fromJson, "provider auction"),
        "provider auction reply");
  }
}
