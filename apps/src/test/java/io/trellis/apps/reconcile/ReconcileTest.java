package io.trellis.apps.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.apps.AppStatus;
import io.trellis.apps.AppsLattice;
import io.trellis.apps.Ownership;
import io.trellis.apps.StatusType;
import io.trellis.host.Host;
import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconciler against real in-JVM hosts on a real nats-server. */
class ReconcileTest {
  @TempDir Path dir;

  static String echoApp(String version, int replicas, String spreads) {
    return """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: echo
          annotations:
            version: %s
        spec:
          components:
            - name: echo
              type: actor
              properties:
                image: %s
              traits:
                - type: spreadscaler
                  properties:
                    replicas: %d
                    spread:
        %s
        """
        .formatted(version, AppsLattice.echoRef(), replicas, spreads.indent(12).stripTrailing());
  }

  static final String WEIGHTED =
      """
      - name: east
        requirements: { zone: a }
        weight: 2
      - name: west
        requirements: { zone: b }
        weight: 1
      """;

  @Test
  void weightedSpreadOnLeastLoadedHostsAndAHandStartedInstanceIsNeverTouched() throws Exception {
    try (AppsLattice l = new AppsLattice(dir)) {
      Host a1 = l.addHost(Map.of("zone", "a"));
      Host a2 = l.addHost(Map.of("zone", "a"));
      Host b1 = l.addHost(Map.of("zone", "b"));
      l.addService("R1");
      l.awaitLeader();
      // by hand, before the app: one instance on a1 without annotations
      String echo =
          l.ctl
              .startActorAndWait(
                  a1.id(), AppsLattice.echoRef(), 1, Map.of(), Duration.ofSeconds(20))
              .actorId();

      l.apps.put(echoApp("v1", 6, WEIGHTED).getBytes());
      l.apps.deploy("echo", null);
      AppStatus s = l.awaitStatus("echo", StatusType.DEPLOYED, Duration.ofSeconds(30));
      assertEquals("v1", s.version());
      Map<String, String> owned = Ownership.ofApp("echo");
      // 6 split 2:1 -> 4 in zone a, 2 in zone b; within zone a least-loaded: 2 + 2, even though
      // a1 already runs the hand-started instance (it counts as load, not as a replica)
      assertEquals(2, AppsLattice.instancesWith(a1, owned));
      assertEquals(2, AppsLattice.instancesWith(a2, owned));
      assertEquals(2, AppsLattice.instancesWith(b1, owned));
      assertEquals(3, AppsLattice.instances(a1, echo), "2 managed + 1 by hand");

      // scale down with a new version: 3 -> 2 in a, 1 in b; the hand-started one stays
      l.apps.put(echoApp("v2", 3, WEIGHTED).getBytes());
      l.apps.deploy("echo", "v2");
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  AppsLattice.instancesWith(a1, owned) + AppsLattice.instancesWith(a2, owned) == 2
                      && AppsLattice.instancesWith(b1, owned) == 1);
      assertEquals(
          "v2", l.awaitStatus("echo", StatusType.DEPLOYED, Duration.ofSeconds(30)).version());
      assertEquals(1, AppsLattice.instances(a1, echo) - AppsLattice.instancesWith(a1, owned));

      // undeploy removes exactly what the app started
      l.apps.undeploy("echo");
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> l.hosts.stream().mapToInt(h -> AppsLattice.instancesWith(h, owned)).sum() == 0);
      assertEquals(1, AppsLattice.instances(a1, echo), "the hand-started instance survives");
      l.awaitStatus("echo", StatusType.UNDEPLOYED, Duration.ofSeconds(10));
    }
  }

  @Test
  void aComponentWhoseImageFailsIsFailedWithTheHostsError() throws Exception {
    try (AppsLattice l = new AppsLattice(dir)) {
      l.addHost(Map.of("zone", "a"));
      l.addService("R1");
      l.awaitLeader();
      Path missing = dir.resolve("nowhere.wasm");
      String manifest =
          echoApp("v1", 1, "- name: any\n  requirements: {}\n")
              .replace(AppsLattice.echoRef(), missing.toUri().toString());
      l.apps.put(manifest.getBytes());
      l.apps.deploy("echo", null);
      AppStatus s = l.awaitStatus("echo", StatusType.FAILED, Duration.ofSeconds(20));
      assertTrue(s.info().message().contains("failed to start on host"), s.info().message());
      assertTrue(s.info().message().contains("nowhere.wasm"), s.info().message());
      assertEquals(StatusType.FAILED, s.components().get(0).traits().get(0).info().type());
      // the file appears: the next retry succeeds and the app becomes deployed
      Files.copy(AppsLattice.ECHO, missing);
      l.awaitStatus("echo", StatusType.DEPLOYED, Duration.ofSeconds(40));
    }
  }

  @Test
  void aSpreadNoHostCanSatisfyFailsUntilAHostWithTheLabelJoins() throws Exception {
    try (AppsLattice l = new AppsLattice(dir)) {
      l.addHost(Map.of("zone", "a"));
      l.addHost(Map.of("zone", "b"));
      l.addService("R1");
      l.awaitLeader();
      l.apps.put(echoApp("v1", 2, "- name: mars\n  requirements: { zone: mars }\n").getBytes());
      l.apps.deploy("echo", null);
      AppStatus s = l.awaitStatus("echo", StatusType.FAILED, Duration.ofSeconds(20));
      assertEquals("echo: spread mars: 0 of 2 hosts match zone=mars", s.info().message());
      Host mars = l.addHost(Map.of("zone", "mars"));
      l.awaitStatus("echo", StatusType.DEPLOYED, Duration.ofSeconds(30));
      assertEquals(2, AppsLattice.instancesWith(mars, Ownership.ofApp("echo")));
    }
  }

  @Test
  void exactlyOneLeaderAndAnotherTakesOverWhenItStops() throws Exception {
    try (AppsLattice l = new AppsLattice(dir)) {
      Host a = l.addHost(Map.of("zone", "a"));
      Host b = l.addHost(Map.of("zone", "b"));
      l.addService("R1");
      l.addService("R2");
      l.addService("R3");
      var leader = l.awaitLeader();
      assertEquals(1, l.services.stream().filter(s -> s.isLeader()).count(), "exactly one leader");
      l.apps.put(echoApp("v1", 2, "- name: all\n  requirements: {}\n").getBytes());
      l.apps.deploy("echo", null);
      l.awaitStatus("echo", StatusType.DEPLOYED, Duration.ofSeconds(30));
      assertEquals(leader.id(), l.apps.status("echo").reconciler());

      leader.close();
      l.services.remove(leader);
      var next = l.awaitLeader();
      assertTrue(!next.id().equals(leader.id()));
      // the new leader acts: scale up through a new version
      l.apps.put(echoApp("v2", 4, "- name: all\n  requirements: {}\n").getBytes());
      l.apps.deploy("echo", null);
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  AppsLattice.instancesWith(a, Ownership.ofApp("echo"))
                          + AppsLattice.instancesWith(b, Ownership.ofApp("echo"))
                      == 4);
      assertEquals(
          next.id(),
          l.awaitStatus("echo", StatusType.DEPLOYED, Duration.ofSeconds(20)).reconciler());
      assertEquals(List.of(next), l.services.stream().filter(s -> s.isLeader()).toList());
    }
  }

  @Test
  void undeployAndDeployAgainRightAwayAreNotHeldBackByEarlierCommands() throws Exception {
    // every command leaves an expectation for up to 30 s; a new deploy or undeploy of the same
    // thing within that time must act at once, not wait for an old one to expire
    try (AppsLattice l = new AppsLattice(dir)) {
      Host a = l.addHost(Map.of("zone", "a"));
      l.addService("R1");
      l.awaitLeader();
      Map<String, String> owned = Ownership.ofApp("echo");
      for (int round = 0; round < 3; round++) {
        l.apps.put(echoApp("v" + round, 2, "- name: all\n  requirements: {}\n").getBytes());
        l.apps.deploy("echo", "v" + round);
        Awaitility.await("round " + round + " deployed")
            .atMost(Duration.ofSeconds(15))
            .until(() -> AppsLattice.instancesWith(a, owned) == 2);
        l.apps.undeploy("echo");
        Awaitility.await("round " + round + " undeployed")
            .atMost(Duration.ofSeconds(15))
            .until(() -> AppsLattice.instancesWith(a, owned) == 0);
      }
    }
  }

  @Test
  void aDaemonscalerRunsItsReplicasOnEveryMatchingHostIncludingOnesThatJoin() throws Exception {
    try (AppsLattice l = new AppsLattice(dir)) {
      Host a1 = l.addHost(Map.of("zone", "a"));
      Host b1 = l.addHost(Map.of("zone", "b"));
      l.addService("R1");
      l.awaitLeader();
      String daemon =
          echoApp("v1", 2, "- name: zone-a\n  requirements: { zone: a }\n")
              .replace("type: spreadscaler", "type: daemonscaler");
      l.apps.put(daemon.getBytes());
      l.apps.deploy("echo", null);
      l.awaitStatus("echo", StatusType.DEPLOYED, Duration.ofSeconds(30));
      Map<String, String> owned = Ownership.ofApp("echo");
      assertEquals(2, AppsLattice.instancesWith(a1, owned));
      assertEquals(0, AppsLattice.instancesWith(b1, owned), "b does not match");
      Host a2 = l.addHost(Map.of("zone", "a"));
      Awaitility.await("the new zone-a host gets its 2")
          .atMost(Duration.ofSeconds(30))
          .until(() -> AppsLattice.instancesWith(a2, owned) == 2);
      assertEquals(2, AppsLattice.instancesWith(a1, owned));
      assertEquals(0, AppsLattice.instancesWith(b1, owned));
    }
  }

  @Test
  void anActorLiveUpdatedOnEveryHostIsStillTheAppsOwnAndScalesUp() throws Exception {
    // ctl update actor switches instances to another image but keeps their annotations; once no
    // host runs the manifest's image, the scaler must still find its actor (by ownership) and
    // scale it, not start the manifest's image next to the other revision (a host refuses that)
    try (AppsLattice l = new AppsLattice(dir)) {
      Host a = l.addHost(Map.of("zone", "a"));
      Host b = l.addHost(Map.of("zone", "a"));
      l.addService("R1");
      l.awaitLeader();
      KeyPair account = KeyPair.generate(KeyType.ACCOUNT);
      KeyPair module = KeyPair.generate(KeyType.MODULE);
      String rev1 = signedEcho(account, module, 1).toUri().toString();
      String rev2 = signedEcho(account, module, 2).toUri().toString();
      deployEcho(l, "v1", 2, rev1);
      l.awaitStatus("echo", StatusType.DEPLOYED, Duration.ofSeconds(30));
      Map<String, String> owned = Ownership.ofApp("echo");
      for (Host h : List.of(a, b)) {
        assertEquals(1, AppsLattice.instancesWith(h, owned), "one each on the two hosts");
        Ack ack = l.ctl.updateActor(h.id(), module.publicKey(), rev2, Map.of());
        assertTrue(ack.accepted(), ack.error());
      }
      Awaitility.await("every instance runs revision 2")
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  List.of(a, b).stream()
                      .flatMap(h -> l.inventory(h).actors().stream())
                      .allMatch(x -> x.imageRef().equals(rev2)));

      deployEcho(l, "v2", 4, rev1);
      Awaitility.await("4 instances of the app")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> AppsLattice.instancesWith(a, owned) + AppsLattice.instancesWith(b, owned) == 4);
      Awaitility.await("v2 deployed")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                AppStatus s = l.apps.status("echo");
                return s.version().equals("v2") && s.info().type() == StatusType.DEPLOYED;
              });
      assertEquals(
          4,
          AppsLattice.instances(a, module.publicKey())
              + AppsLattice.instances(b, module.publicKey()));

      // a later revision in the manifest: the instances (annotated for revision 1, running 2) are
      // live-updated to it, not refused as a second revision beside the running one
      String rev3 = signedEcho(account, module, 3).toUri().toString();
      deployEcho(l, "v3", 2, rev3);
      awaitDeployed(l, "v3");
      Awaitility.await("only revision 3 runs")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertEquals(List.of(rev3), imageRefs(l, a, b)));
    }
  }

  @Test
  void aNewRevisionOfTheSameActorIsLiveUpdatedAndAnotherActorStartsBesideTheOld() throws Exception {
    // hosts refuse a second revision of a running actor key: a new version of the manifest with a
    // later revision must live-update the running instances; an image that is another actor is
    // refused as an update and must start beside the old one instead
    try (AppsLattice l = new AppsLattice(dir)) {
      Host a = l.addHost(Map.of("zone", "a"));
      Host b = l.addHost(Map.of("zone", "a"));
      l.addService("R1");
      l.awaitLeader();
      KeyPair account = KeyPair.generate(KeyType.ACCOUNT);
      KeyPair module = KeyPair.generate(KeyType.MODULE);
      KeyPair other = KeyPair.generate(KeyType.MODULE);
      deployEcho(l, "v1", 2, signedEcho(account, module, 1).toUri().toString());
      awaitDeployed(l, "v1");
      String rev2 = signedEcho(account, module, 2).toUri().toString();
      deployEcho(l, "v2", 3, rev2);
      awaitDeployed(l, "v2");
      Awaitility.await("only revision 2 runs, 3 instances, nothing of v1's scaler left")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertEquals(List.of(rev2), imageRefs(l, a, b));
                assertEquals(
                    3,
                    AppsLattice.instances(a, module.publicKey())
                        + AppsLattice.instances(b, module.publicKey()));
              });

      // a rollback is no live update: the hosts refuse it, and the status says why
      l.apps.deploy("echo", "v1");
      AppStatus refused = l.awaitStatus("echo", StatusType.FAILED, Duration.ofSeconds(60));
      assertTrue(
          refused.info().message().contains("new revision 1 is not greater than the running"),
          refused.info().message());

      String swapped = signedEcho(account, other, 7).toUri().toString();
      deployEcho(l, "v3", 2, swapped);
      awaitDeployed(l, "v3");
      Awaitility.await("the other actor replaced the first")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertEquals(List.of(swapped), imageRefs(l, a, b));
                assertEquals(
                    2,
                    AppsLattice.instances(a, other.publicKey())
                        + AppsLattice.instances(b, other.publicKey()));
              });
    }
  }

  /** Puts and deploys {@code version} of the echo app: {@code replicas} of {@code image}. */
  private static void deployEcho(AppsLattice l, String version, int replicas, String image) {
    String any = "- name: any\n  requirements: {}\n";
    l.apps.put(echoApp(version, replicas, any).replace(AppsLattice.echoRef(), image).getBytes());
    l.apps.deploy("echo", version);
  }

  private static void awaitDeployed(AppsLattice l, String version) {
    Awaitility.await(version + " deployed")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              AppStatus s = l.apps.status("echo");
              return s.version().equals(version) && s.info().type() == StatusType.DEPLOYED;
            });
  }

  private static List<String> imageRefs(AppsLattice l, Host... hosts) {
    return java.util.Arrays.stream(hosts)
        .flatMap(h -> l.inventory(h).actors().stream())
        .map(x -> x.imageRef())
        .distinct()
        .sorted()
        .toList();
  }

  private Path signedEcho(KeyPair account, KeyPair module, int rev) throws Exception {
    ActorMetadata meta =
        new ActorMetadata(
            "echo", null, List.of(), List.of("wasmcloud:httpserver"), rev, "0." + rev, null, false);
    byte[] signed =
        ModuleClaims.sign(
            Files.readAllBytes(AppsLattice.ECHO),
            meta,
            account,
            module,
            Instant.now().getEpochSecond(),
            "reconcile-" + rev,
            null,
            null);
    return Files.write(dir.resolve("echo-r" + rev + ".wasm"), signed);
  }
}
