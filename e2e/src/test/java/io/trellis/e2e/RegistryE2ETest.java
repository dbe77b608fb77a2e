package io.trellis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.ctl.ActorStarted;
import io.trellis.ctl.CtlClient;
import io.trellis.ctl.ProviderStarted;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.oci.CredentialSource;
import io.trellis.oci.OciClient;
import io.trellis.oci.OciOptions;
import io.trellis.oci.PushRequest;
import io.trellis.oci.RegistryCredentials;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsServer;
import io.trellis.testkit.OciRegistry;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path through a registry with token authentication (PROTOCOL.md §14): echo and the
 * httpserver provider pushed in wash's layout, started by reference over the control interface on a
 * host that may not load files, linked, and an HTTP request answered.
 */
class RegistryE2ETest {
  @TempDir Path dir;

  @Test
  void echoAndTheHttpServerProviderFromARegistryAnswerHttp() throws Exception {
    String user = "deployer";
    String password = "e2e-Pa55word";
    try (OciRegistry reg = OciRegistry.start(OciRegistry.Auth.token(user, password, 300));
        NatsServer nats = NatsServer.start()) {
      String echoRef = reg.host() + "/apps/echo:0.3.4";
      String httpRef = reg.host() + "/providers/httpserver:0.1.0";
      try (OciClient pusher =
          new OciClient(
              OciOptions.defaults(null).withAllowedInsecure(List.of(reg.host())),
              CredentialSource.fixed(reg.host(), RegistryCredentials.basic(user, password)))) {
        pusher.push(
            echoRef,
            Files.readAllBytes(Path.of("..", "actors-samples", "dist", "echo.wasm")),
            PushRequest.defaults());
        pusher.push(httpRef, Lattice.par("httpserver"), PushRequest.defaults());
      }
      Host host =
          TestHosts.start(
              nats,
              KeyPair.generate(KeyType.CLUSTER),
              dir,
              Map.of(
                  "WASMCLOUD_OCI_ALLOWED_INSECURE",
                  reg.host(),
                  "OCI_REGISTRY",
                  reg.host(),
                  "OCI_REGISTRY_USER",
                  user,
                  "OCI_REGISTRY_PASSWORD",
                  password,
                  "TRELLIS_HOME",
                  dir.resolve("home").toString(),
                  "TRELLIS_PROVIDER_HEALTH_INTERVAL_MS",
                  "500"));
      try (CtlClient ctl = CtlClient.builder().url(nats.url()).build()) {
        ActorStarted echo =
            ctl.startActorAndWait(host.id(), echoRef, 1, Map.of(), Duration.ofSeconds(60));
        ProviderStarted http =
            ctl.startProviderAndWait(
                host.id(), httpRef, "default", "", Map.of(), Duration.ofSeconds(60));
        assertEquals(echoRef, echo.imageRef());
        assertEquals(httpRef, http.imageRef());
        int port = FreePorts.allocate();
        Ack linked =
            ctl.putLink(
                LinkDefinition.of(
                    echo.actorId(),
                    http.providerId(),
                    "default",
                    Contracts.HTTP_SERVER,
                    Map.of("ADDRESS", "127.0.0.1:" + port)));
        assertEquals(Ack.ok(), linked);
        Awaitility.await("echo answering HTTP on " + port)
            .atMost(Duration.ofSeconds(30))
            .until(() -> Lattice.tryGet(port, "/ready").startsWith("200"));
        HttpResponse<String> r = Lattice.get(port, "/from/the/registry?x=1");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"path\":\"/from/the/registry\""), r.body());
      } finally {
        host.stop(Duration.ofSeconds(10));
      }
    }
  }
}
