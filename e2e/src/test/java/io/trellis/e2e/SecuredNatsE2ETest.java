package io.trellis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.cli.Trellis;
import io.trellis.ctl.CtlClient;
import io.trellis.ctl.CtlConnectException;
import io.trellis.host.Host;
import io.trellis.host.TestHosts;
import io.trellis.host.nats.NatsConnectException;
import io.trellis.testkit.FreePorts;
import io.trellis.testkit.NatsServer;
import io.trellis.testkit.NatsServerOptions;
import io.trellis.testkit.TestCertificates;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.par.ProviderArchive;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Fault matrix row 8: a nats-server that requires TLS (a CA and certificate made in the test) and
 * nkey users. The host's two connections, a provider process, the ctl client and the CLI each use
 * their own nkey; everything works, and a wrong credential fails naming the connection refused.
 */
class SecuredNatsE2ETest {
  @TempDir static Path dir;
  static TestCertificates certs;
  static NatsServer nats;
  static Host host;
  static final KeyPair CLUSTER = KeyPair.generate(KeyType.CLUSTER);
  static final KeyPair HOST_CTL = KeyPair.generate(KeyType.USER);
  static final KeyPair HOST_RPC = KeyPair.generate(KeyType.USER);
  static final KeyPair PROVIDERS = KeyPair.generate(KeyType.USER);
  static final KeyPair CLIENT = KeyPair.generate(KeyType.USER);

  @BeforeAll
  static void start() {
    certs = TestCertificates.generate(dir.resolve("tls"));
    StringBuilder users = new StringBuilder("authorization { users: [\n");
    for (KeyPair u : new KeyPair[] {HOST_CTL, HOST_RPC, PROVIDERS, CLIENT}) {
      users.append("  { nkey: \"").append(u.publicKey()).append("\" }\n");
    }
    users.append("] }\n");
    nats =
        NatsServer.start(
            NatsServerOptions.builder().extraConfig(certs.natsTlsBlock() + users).build());
    host = TestHosts.start(nats, CLUSTER, dir, hostEnv(HOST_CTL.seed()));
  }

  static Map<String, String> hostEnv(String ctlSeed) {
    Map<String, String> env = new HashMap<>();
    env.put("WASMCLOUD_CTL_SEED", ctlSeed);
    env.put("WASMCLOUD_RPC_SEED", HOST_RPC.seed());
    env.put("WASMCLOUD_PROV_RPC_SEED", PROVIDERS.seed());
    env.put("WASMCLOUD_CTL_TLS", "true");
    env.put("WASMCLOUD_RPC_TLS", "true");
    env.put("WASMCLOUD_TLS_CA_PATH", certs.caPem().toString());
    env.put("WASMCLOUD_ALLOW_FILE_LOAD", "true");
    env.put("TRELLIS_PROVIDER_HEALTH_INTERVAL_MS", "500");
    return env;
  }

  @AfterAll
  static void stop() {
    if (host != null) {
      host.stop(Duration.ofSeconds(10));
    }
    nats.close();
  }

  static String tlsUrl() {
    return "tls://127.0.0.1:" + nats.port();
  }

  @Test
  void hostProviderAndActorServeHttpOverTlsWithNkeys() throws Exception {
    byte[] par = Lattice.par("httpserver");
    host.providers().start(par, Lattice.parRef("httpserver"), "default", "", Map.of());
    String pk = ProviderArchive.read(par).publicKey();
    long t0 = System.nanoTime();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> host.providers().isHealthy(pk, "default"));
    long healthyMs = (System.nanoTime() - t0) / 1_000_000;
    String echo = Lattice.actor(host, "echo");
    int port = FreePorts.allocate();
    host.lattice()
        .putLink(
            LinkDefinition.of(
                echo,
                pk,
                "default",
                Contracts.HTTP_SERVER,
                Map.of("ADDRESS", "127.0.0.1:" + port)));
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Lattice.tryGet(port, "/secure").startsWith("200 "));
    assertTrue(Lattice.get(port, "/secure").body().contains("\"path\":\"/secure\""));
    System.out.printf("row8: provider healthy over TLS + nkey after %d ms%n", healthyMs);
  }

  @Test
  void theCtlClientAndTheCliWorkWithTheirOwnNkeyOverTls() {
    try (CtlClient ctl =
        CtlClient.builder().url(tlsUrl()).seed(CLIENT.seed()).tlsCaFile(certs.caPem()).build()) {
      assertTrue(
          ctl.pingHosts().stream().anyMatch(h -> h.id().equals(host.id())), "the host answers");
    }
    Cli r =
        cli(
            "ctl",
            "get",
            "hosts",
            "--ctl-host",
            tlsUrl(),
            "--ctl-seed",
            CLIENT.seed(),
            "--tls-ca-path",
            certs.caPem().toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains(host.id()), r.out());
  }

  @Test
  void aWrongCredentialNamesTheConnectionThatWasRefused() {
    String stranger = KeyPair.generate(KeyType.USER).seed();
    NatsConnectException e =
        assertThrows(
            NatsConnectException.class,
            () -> TestHosts.start(nats, CLUSTER, dir.resolve("wrong"), hostEnv(stranger)));
    assertTrue(
        e.getMessage().startsWith("the host's ctl connection cannot connect"), e.getMessage());
    assertTrue(e.getMessage().contains("nkey seed"), e.getMessage());
    assertTrue(e.getMessage().toLowerCase().contains("authorization"), e.getMessage());
    assertFalse(e.getMessage().contains(stranger.substring(2)), "the seed is never printed");

    CtlConnectException c =
        assertThrows(
            CtlConnectException.class,
            () ->
                CtlClient.builder()
                    .url(tlsUrl())
                    .seed(stranger)
                    .tlsCaFile(certs.caPem())
                    .connectTimeout(Duration.ofSeconds(3))
                    .build());
    assertTrue(c.getMessage().contains("check the credentials: --ctl-credsfile"), c.getMessage());

    Cli r =
        cli(
            "ctl",
            "get",
            "hosts",
            "--ctl-host",
            tlsUrl(),
            "--ctl-seed",
            CLIENT.seed(),
            "--tls-ca-path",
            // a CA that did not sign the server's certificate
            TestCertificates.generate(dir.resolve("other-ca")).caPem().toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.err().contains("cannot connect to NATS at " + tlsUrl()), r.err());
  }

  record Cli(int code, String out, String err) {}

  static Cli cli(String... args) {
    CommandLine cl = Trellis.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Cli(code, out.toString(), err.toString());
  }
}
