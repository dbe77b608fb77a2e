package io.trellis.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Dispatcher;
import io.trellis.host.Host;
import io.trellis.oci.RegistryCredentials;
import io.trellis.testkit.OciRegistry;
import io.trellis.wasmbus.ctl.HostInventory;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config service (PROTOCOL.md §8.6) with a registry that needs a password: the host gets the
 * credentials and its auto-start lists from a responder at boot, and pulls a provider and then an
 * actor from that registry with them, without any other credentials configured.
 */
class ConfigServiceRegistryTest {
  static final String PASSWORD = "cfg-Pa55word";
  @TempDir Path dir;

  @Test
  void credentialsAndAutoStartsFromTheConfigServiceReachTheRegistry() throws Exception {
    try (OciRegistry auth = OciRegistry.start(OciRegistry.Auth.htpasswd("carol", PASSWORD));
        CtlLattice lattice = new CtlLattice(dir, List.of())) {
      RegistryCredentials carol = RegistryCredentials.basic("carol", PASSWORD);
      String actorRef =
          RegistryFailuresTest.push(
              auth,
              "cfg/echo:1.0.0",
              Files.readAllBytes(
                  CtlLattice.signedEcho(
                      dir,
                      "cfg-echo",
                      KeyPair.generate(KeyType.ACCOUNT),
                      KeyPair.generate(KeyType.MODULE),
                      1)),
              carol);
      String providerRef =
          RegistryFailuresTest.push(
              auth, "cfg/keyvalue:0.1.0", Files.readAllBytes(ProviderLifecycleTest.PAR), carol);
      String reply =
          """
          {"autoStartProviders": [{"imageReference": "%s", "linkName": "cfg"}],
           "autoStartActors": ["%s"],
           "registryCredentials": {"%s": {"registryType": "oci", "username": "carol",
                                          "password": "%s"}}}
          """
              .formatted(providerRef, actorRef, auth.host(), PASSWORD);
      List<String> events = new CopyOnWriteArrayList<>();
      try (EventSubscription sub =
          lattice.client.events(
              e -> {
                if (e.type().endsWith("_started") || e.type().endsWith("_failed")) {
                  events.add(e.type());
                }
              })) {
        Dispatcher cfg =
            lattice.raw.createDispatcher(
                m -> lattice.raw.publish(m.getReplyTo(), reply.getBytes(StandardCharsets.UTF_8)));
        cfg.subscribe("wasmbus.cfg.default.req");
        lattice.raw.flush(Duration.ofSeconds(2));
        Host host =
            lattice.addHost(
                Map.of(
                    "WASMCLOUD_CONFIG_SERVICE", "true",
                    "WASMCLOUD_OCI_ALLOWED_INSECURE", auth.host(),
                    "TRELLIS_HOME", dir.resolve("home").toString()));
        Awaitility.await("the auto-started provider and actor")
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  HostInventory inv = lattice.client.inventory(host.id());
                  return inv.providers().size() == 1 && inv.actors().size() == 1;
                });
        HostInventory inv = lattice.client.inventory(host.id());
        assertEquals(providerRef, inv.providers().getFirst().imageRef());
        assertEquals("cfg", inv.providers().getFirst().linkName());
        assertEquals(actorRef, inv.actors().getFirst().imageRef());
        Awaitility.await("the start events")
            .atMost(Duration.ofSeconds(10))
            .until(() -> events.stream().anyMatch(t -> t.contains("actor")));
        assertTrue(
            events.indexOf("provider_started") >= 0
                && events.indexOf("provider_started")
                    < events.stream()
                        .filter(t -> t.contains("actor"))
                        .map(events::indexOf)
                        .findFirst()
                        .orElseThrow(),
            "providers first, then actors: " + events);
        assertTrue(events.stream().noneMatch(t -> t.endsWith("_failed")), events.toString());
      }
    }
  }
}
