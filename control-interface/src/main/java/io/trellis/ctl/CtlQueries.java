package io.trellis.ctl;

import io.nats.client.Connection;
import io.trellis.ctl.Requester.Target;
import io.trellis.wasmbus.ctl.CtlSubjects;
import io.trellis.wasmbus.ctl.HostInfo;
import io.trellis.wasmbus.ctl.HostInventory;
import io.trellis.wasmbus.ctl.LatticeQueries;
import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.link.LinkDefinition;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@link CtlClient}'s queries (PROTOCOL.md §8.2). */
final class CtlQueries {
  private final Connection nc;
  private final Requester requester;
  private final CtlSubjects subjects;
  private final String lattice;
  private final @Nullable String jsDomain;
  private final Duration timeout;

  CtlQueries(
      Connection nc,
      Requester requester,
      CtlSubjects subjects,
      String lattice,
      @Nullable String jsDomain,
      Duration timeout) {
    this.nc = nc;
    this.requester = requester;
    this.subjects = subjects;
    this.lattice = lattice;
    this.jsDomain = jsDomain;
    this.timeout = timeout;
  }

  List<HostInfo> pingHosts(Duration collect) {
    return Replies.parseAll(
        requester.gather(subjects.pingHosts(), new byte[0], collect, Integer.MAX_VALUE),
        HostInfo::fromJson,
        "ping reply");
  }

  HostInventory inventory(String hostId) {
    byte[] reply =
        requester.request(
            subjects.inventory(hostId),
            new byte[0],
            timeout,
            Target.host("inventory", hostId, lattice));
    Replies.rejectIfAck(reply, "inventory of host " + hostId);
    return Replies.parse(reply, HostInventory::fromJson, "inventory reply from host " + hostId);
  }

  List<ClaimsRecord> claims() {
    try {
      byte[] reply =
          requester.request(
              subjects.getClaims(), new byte[0], timeout, Target.anyHost("get claims", lattice));
      Replies.rejectIfAck(reply, "get claims");
      return Replies.parse(reply, LatticeQueries::claims, "claims reply");
    } catch (NoRespondersException e) {
      return bucket().claims().orElseThrow(() -> e);
    }
  }

  List<LinkDefinition> links() {
    try {
      byte[] reply =
          requester.request(
              subjects.getLinks(), new byte[0], timeout, Target.anyHost("get links", lattice));
      Replies.rejectIfAck(reply, "get links");
      return Replies.parse(reply, LatticeQueries::links, "links reply");
    } catch (NoRespondersException e) {
      return bucket().links().orElseThrow(() -> e);
    }
  }

  /** The lattice data bucket, read directly when no host answers (PROTOCOL.md §9.2). */
  private LatticeDataReader bucket() {
    return new LatticeDataReader(nc, lattice, jsDomain, timeout);
  }
}
