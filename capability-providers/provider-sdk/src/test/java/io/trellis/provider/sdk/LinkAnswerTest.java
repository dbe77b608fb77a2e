package io.trellis.provider.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.trellis.provider.testkit.TestLattice;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.link.LinkDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A link put with a reply subject gets the outcome back (PROTOCOL.md §6.3). */
class LinkAnswerTest {
  static final String CONTRACT = "trellis:test";

  @Test
  void aPutWithAReplySubjectIsAnsweredWithAnAck() {
    try (NatsServer nats = NatsServer.start();
        TestLattice lattice = TestLattice.on(nats)) {
      String pk = TestLattice.newProviderKey();
      String actor = TestLattice.newActorKey();
      RecordingProvider provider = new RecordingProvider();
      try (RunningProvider running =
          ProviderRunner.start(provider, lattice.hostData(pk, List.of()))) {
        LinkDefinition ok = TestLattice.link(actor, pk, CONTRACT, Map.of("k", "v"));
        assertEquals(Ack.ok(), lattice.putLinkForAnswer(ok));
        assertEquals(Ack.ok(), lattice.putLinkForAnswer(ok), "an unchanged put is accepted too");

        Ack refused =
            lattice.putLinkForAnswer(TestLattice.link(actor, pk, CONTRACT, Map.of("fail", "1")));
        assertEquals(Ack.error("bad link values"), refused, "the provider's own reason");

        assertEquals(
            Ack.ok(), lattice.putLinkForAnswer(ok), "the refused put left the actor unlinked");
        assertEquals(
            List.of(
                "put " + actor + " {k=v}", "del " + actor + " {k=v}", "put " + actor + " {k=v}"),
            provider.events);
      }
    }
  }
}
