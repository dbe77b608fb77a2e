package io.trellis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.trellis.ctl.ActorStarted;
import io.trellis.ctl.CtlClient;
import io.trellis.ctl.StartFailedException;
import io.trellis.host.FakeProvider;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.host.runtime.Fixtures;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.par.ProviderArchive;
import io.trellis.wasmbus.rpc.InvocationResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy service as wasmCloud meant it (PROTOCOL.md §10.4): the sample policy actor runs behind
 * the messaging provider (and reads its allowed issuers through the keyvalue provider) on one host;
 * another host, with {@code WASMCLOUD_POLICY_TOPIC} set, asks it before every start and every
 * invocation. Real provider processes, real NATS, driven through the control interface and HTTP.
 */
class PolicyE2ETest {
  static final String TOPIC = "wasmcloud.policy.evaluator";
  @TempDir Path dir;

  @Test
  void thePolicyActorOnOneHostDecidesForAnother() throws Exception {
    KeyPair cluster = KeyPair.generate(KeyType.CLUSTER);
    KeyPair trusted = KeyPair.generate(KeyType.ACCOUNT);
    String httpIssuer = ProviderArchive.read(Lattice.par("httpserver")).issuer();
    try (NatsServer nats = NatsServer.start();
        Connection client = nats.connect();
        Host server =
            TestHosts.start(
                nats, cluster, dir, Map.of("TRELLIS_PROVIDER_HEALTH_INTERVAL_MS", "500"));
        CtlClient ctl =
            CtlClient.builder()
                .url(nats.url())
                .timeout(Duration.ofSeconds(5))
                .auctionTimeout(Duration.ofMillis(500))
                .build()) {
      // the policy server: actor, messaging provider subscribed to the topic, keyvalue config
      client
          .keyValueManagement()
          .create(
              KeyValueConfiguration.builder()
                  .name("policy_config")
                  .storageType(StorageType.Memory)
                  .build());
      KeyValue config = client.keyValue("policy_config");
      config.put("allowed_issuers", trusted.publicKey() + ", " + httpIssuer);
      String policy = Lattice.actor(server, "policy");
      String messaging = startProvider(server, "messaging");
      String keyvalue = startProvider(server, "keyvalue");
      server
          .lattice()
          .putLink(
              LinkDefinition.of(
                  policy,
                  keyvalue,
                  "default",
                  Contracts.KEY_VALUE,
                  Map.of("bucket", "policy_config")));
      server
          .lattice()
          .putLink(
              LinkDefinition.of(
                  policy,
                  messaging,
                  "default",
                  Contracts.MESSAGING,
                  Map.of("SUBSCRIPTION", TOPIC)));
      Awaitility.await("the policy actor answers on " + TOPIC)
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () -> {
                Message m =
                    client.request(
                        TOPIC,
                        "{\"requestId\":\"probe\",\"action\":\"start_actor\",\"target\":{}}"
                            .getBytes(StandardCharsets.UTF_8),
                        Duration.ofSeconds(2));
                return m != null
                    && new String(m.getData(), StandardCharsets.UTF_8).contains("\"probe\"");
              });

      Host guarded =
          TestHosts.start(
              nats,
              cluster,
              dir,
              Map.of(
                  "WASMCLOUD_POLICY_TOPIC", TOPIC,
                  "WASMCLOUD_POLICY_TIMEOUT", "5000",
                  "WASMCLOUD_ALLOW_FILE_LOAD", "true",
                  "TRELLIS_PROVIDER_HEALTH_INTERVAL_MS", "500"));
      try (guarded) {
        // a start of an actor from an issuer the policy does not know: denied, with its reason
        KeyPair strangerKey = KeyPair.generate(KeyType.MODULE);
        String stranger = echo("stranger", KeyPair.generate(KeyType.ACCOUNT), strangerKey);
        StartFailedException denied =
            assertThrows(
                StartFailedException.class,
                () ->
                    ctl.startActorAndWait(
                        guarded.id(), stranger, 1, Map.of(), Duration.ofSeconds(30)));
        assertTrue(
            denied.error().startsWith("Policy denied starting actor, request: ")
                && denied
                    .error()
                    .contains("target " + strangerKey.publicKey() + " is signed by issuer '")
                && denied.error().contains("which is not among the allowed issuers"),
            denied.error());

        // the trusted issuer's actor and the allowed httpserver provider start
        String friend = echo("friend", trusted, KeyPair.generate(KeyType.MODULE));
        ActorStarted started =
            ctl.startActorAndWait(guarded.id(), friend, 1, Map.of(), Duration.ofSeconds(30));
        ctl.startProviderAndWait(
            guarded.id(),
            Lattice.parRef("httpserver"),
            "default",
            "",
            Map.of(),
            Duration.ofSeconds(60));
        String httpserver = ProviderArchive.read(Lattice.par("httpserver")).publicKey();
        int port = FreePorts.allocate();
        guarded
            .lattice()
            .putLink(
                LinkDefinition.of(
                    started.actorId(),
                    httpserver,
                    "default",
                    Contracts.HTTP_SERVER,
                    Map.of("ADDRESS", "127.0.0.1:" + port)));
        // invocations from the httpserver provider (an allowed issuer) are permitted
        Awaitility.await("echo answers through the httpserver provider")
            .atMost(Duration.ofSeconds(30))
            .until(() -> Lattice.tryGet(port, "/through").startsWith("200 "));

        // an invocation from a caller without allowed claims is refused with OTP's text
        FakeProvider outsider = new FakeProvider(client, "default", cluster, Contracts.HTTP_SERVER);
        InvocationResponse r =
            outsider.call(
                started.actorId(),
                HttpRequest.OPERATION,
                new HttpRequest("GET", "/", "", Map.of(), new byte[0]).toMsgPack());
        assertTrue(
            r.error() != null
                && r.error()
                    .startsWith(
                        "Policy evaluation rejected invocation attempt: source "
                            + outsider.publicKey()
                            + " is signed by issuer ''"),
            r.error());
        assertEquals(200, Lattice.get(port, "/still").statusCode(), "allowed callers still pass");
        assertTrue(
            guarded.meterRegistry().find("trellis.policy.decisions").counters().stream()
                    .filter(c -> "true".equals(c.getId().getTag("cached")))
                    .mapToDouble(c -> c.count())
                    .sum()
                > 0,
            "repeated questions were answered from the cache");
      }
    }
  }

  static String startProvider(Host host, String name) {
    byte[] par = Lattice.par(name);
    host.providers().start(par, Lattice.parRef(name), "default", "", Map.of());
    String pk = ProviderArchive.read(par).publicKey();
    Awaitility.await(name + " healthy")
        .atMost(Duration.ofSeconds(30))
        .until(() -> host.providers().isHealthy(pk, "default"));
    return pk;
  }

  /** The echo sample re-signed by {@code account} as module {@code module}, as a file ref. */
  String echo(String name, KeyPair account, KeyPair module) throws Exception {
    ActorMetadata meta =
        new ActorMetadata(
            name, null, List.of(), List.of(Contracts.HTTP_SERVER), 1, "0.1.0", null, false);
    byte[] signed =
        ModuleClaims.sign(
            Fixtures.dist("echo"),
            meta,
            account,
            module,
            Instant.now().getEpochSecond(),
            name,
            null,
            null);
    return Files.write(dir.resolve(name + ".wasm"), signed).toUri().toString();
  }
}
