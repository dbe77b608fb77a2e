package io.trellis.ctl;

import io.trellis.wasmbus.ctl.Auctions;
import io.trellis.wasmbus.ctl.HostInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The example of docs/CONTROL-INTERFACE.md, verbatim; DocExampleTest runs it and checks the doc.
 */
public final class DocExample {
  public static void main(String[] args) {
    String url = args.length > 0 ? args[0] : "nats://127.0.0.1:4222";
    String actorRef = args.length > 1 ? args[1] : "file:///path/to/echo.wasm";

    try (CtlClient ctl =
        CtlClient.builder()
            .url(url)
            .latticePrefix("default")
            .timeout(Duration.ofSeconds(2))
            .build()) {
      for (HostInfo h : ctl.pingHosts(Duration.ofMillis(500))) {
        System.out.println("host " + h.id() + " (" + h.friendlyName() + ") labels " + h.labels());
      }
      // the first host whose labels match the constraints takes the actor
      List<Auctions.ActorAck> bids = ctl.auctionActor(actorRef, Map.of(), Duration.ofSeconds(2), 1);
      if (bids.isEmpty()) {
        System.err.println("no host bid for " + actorRef);
        return;
      }
      EventSubscription events =
          ctl.events(e -> System.out.println("event " + e.type() + " from " + e.source()));
      try {
        ActorStarted started =
            ctl.startActorAndWait(
                bids.get(0).hostId(), actorRef, 1, Map.of("app", "demo"), Duration.ofSeconds(30));
        System.out.println(
            "started " + started.actorId() + " (" + started.name() + ") on " + started.hostId());
      } catch (StartFailedException e) {
        System.err.println("the host could not start it: " + e.error());
      } finally {
        events.close();
      }
    }
  }
}
