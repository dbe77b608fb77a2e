package io.trellis.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.host.Host;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.claims.SignedModule;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.ctl.HostInventory;
import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.interfaces.HttpResponse;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.rpc.InvocationResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live update (PROTOCOL.md §8.3 {@code upd}) swaps the module under load without one failed call.
 */
class LiveUpdateTest {
  @TempDir Path dir;

  static KeyPair key(String file) throws Exception {
    return KeyPair.fromSeed(
        Files.readString(Path.of("..", "actors-samples", "keys", file)).strip());
  }

  @Test
  void liveUpdateUnderLoadLosesNoCalls() throws Exception {
    try (CtlLattice lattice = new CtlLattice(dir, List.of(Map.of()))) {
      Host host = lattice.host(0);
      CtlClient client = lattice.client;
      SignedModule v1 = ModuleClaims.verify(Files.readAllBytes(CtlLattice.ECHO), Instant.now());
      long rev1 = v1.claims().effectiveRevision();
      ActorStarted s =
          client.startActorAndWait(
              host.id(), CtlLattice.echoRef(), 2, Map.of(), Duration.ofSeconds(20));
      assertEquals(v1.publicKey(), s.actorId());
      // the same module key and account as the committed sample, one revision up
      Path v2 =
          CtlLattice.signedEcho(dir, "echo", key("account.nk"), key("echo.nk"), (int) rev1 + 1);

      ActorCaller caller = new ActorCaller(client, null, lattice.cluster);
      byte[] request = new HttpRequest("GET", "/load", "", Map.of(), "hi".getBytes()).toMsgPack();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger ok = new AtomicInteger();
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      List<Thread> load = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        load.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      while (running.get()) {
                        try {
                          InvocationResponse r =
                              caller.invoke(s.actorId(), HttpRequest.OPERATION, request);
                          if (!r.isSuccess()
                              || HttpResponse.fromMsgPack(r.msg()).statusCode() != 200) {
                            failures.add(String.valueOf(r.error()));
                          } else {
                            ok.incrementAndGet();
                          }
                        } catch (RuntimeException e) {
                          failures.add(e.toString());
                        }
                      }
                    }));
      }
      try (EventWaiter updated =
          client.waitFor(
              e -> e.type().equals("actor_updated") && e.text("public_key").equals(s.actorId()))) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() >= 50);
        int before = ok.get();
        Ack ack = client.updateActor(host.id(), s.actorId(), v2.toUri().toString(), Map.of());
        assertEquals(Ack.ok(), ack);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() >= before + 50);
        running.set(false);
        for (Thread t : load) {
          t.join();
        }
        assertEquals(List.of(), List.copyOf(failures), "calls failed during the update");
        assertEquals(
            rev1 + 1,
            updated.await(Duration.ofSeconds(5), "actor_updated").data().path("revision").asLong());
      }

      HostInventory.Actor a = client.inventory(host.id()).actors().get(0);
      assertEquals(2, a.instances().size());
      a.instances().forEach(i -> assertEquals(rev1 + 1, i.revision()));
      assertEquals(
          Long.toString(rev1 + 1),
          client.claims().stream()
              .filter(c -> c.subject().equals(s.actorId()))
              .findFirst()
              .orElseThrow()
              .revision());

      Ack same = client.updateActor(host.id(), s.actorId(), v2.toUri().toString(), Map.of());
      assertFalse(same.accepted());
      assertEquals(
          "Unable to perform live update: new revision "
              + (rev1 + 1)
              + " is not greater than the running revision "
              + (rev1 + 1),
          same.error());
      Path other = CtlLattice.signedEcho(dir, "other");
      String otherKey = ModuleClaims.verify(Files.readAllBytes(other), Instant.now()).publicKey();
      Ack wrongActor =
          client.updateActor(host.id(), s.actorId(), other.toUri().toString(), Map.of());
      assertFalse(wrongActor.accepted());
      assertTrue(
          wrongActor
              .error()
              .endsWith(" is actor " + otherKey + ", not " + s.actorId() + " named in the command"),
          wrongActor.error());
      Ack notRunning = client.updateActor(host.id(), "", other.toUri().toString(), Map.of());
      assertFalse(notRunning.accepted());
      assertTrue(
          notRunning.error().startsWith("Unable to perform live update: actor " + otherKey),
          notRunning.error());

      // The file behind the running reference changes; starting more instances from it must not
      // mix two versions of the code under one key.
      Path v3 =
          CtlLattice.signedEcho(dir, "echo", key("account.nk"), key("echo.nk"), (int) rev1 + 2);
      Files.copy(v3, v2, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      StartFailedException mixed =
          org.junit.jupiter.api.Assertions.assertThrows(
              StartFailedException.class,
              () ->
                  client.startActorAndWait(
                      host.id(), v2.toUri().toString(), 1, Map.of(), Duration.ofSeconds(20)));
      assertTrue(
          mixed.getMessage().contains("different module")
              && mixed.getMessage().contains("trellis ctl update actor"),
          mixed.getMessage());
      assertEquals(2, client.inventory(host.id()).actors().get(0).instances().size());
    }
  }
}
