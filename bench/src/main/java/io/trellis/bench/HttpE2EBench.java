package io.trellis.bench;

import io.trellis.host.Host;
import io.trellis.host.config.HostConfigLoader;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.par.ProviderArchive;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The whole path for scripts/bench/http-e2e.sh: a host running echo, the httpserver provider as a
 * real process from its PAR, linked on HTTP_PORT. Prints READY, then serves until stdin closes.
 * Args: NATS_PORT HTTP_PORT [ECHO_INSTANCES]
 */
public final class HttpE2EBench {
  public static void main(String[] args) throws Exception {
    int natsPort = Integer.parseInt(args[0]);
    int httpPort = Integer.parseInt(args[1]);
    int instances = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    Path dir = Files.createTempDirectory("trellis-http-e2e");
    Map<String, String> env =
        Map.of(
            "WASMCLOUD_RPC_PORT",
            "" + natsPort,
            "WASMCLOUD_CTL_PORT",
            "" + natsPort,
            "WASMCLOUD_PROV_RPC_PORT",
            "" + natsPort,
            "WASMCLOUD_CLUSTER_SEED",
            KeyPair.generate(KeyType.CLUSTER).seed(),
            "HOST_CONFIG",
            dir.resolve("host_config.json").toString());
    try (Host host = Host.start(HostConfigLoader.load(env, null, Map.of(), dir))) {
      host.actors()
          .start(
              Files.readAllBytes(Path.of("actors-samples/dist/echo.wasm")),
              "",
              instances,
              Map.of());
      String echo = host.actors().running().keySet().iterator().next();
      byte[] par = Files.readAllBytes(Path.of("capability-providers/dist/httpserver.par.gz"));
      String provider = ProviderArchive.read(par).publicKey();
      host.providers().start(par, "", "default", "", Map.of());
      host.lattice()
          .putLink(
              LinkDefinition.of(
                  echo,
                  provider,
                  "default",
                  "wasmcloud:httpserver",
                  Map.of("ADDRESS", "127.0.0.1:" + httpPort)));
      HttpClient http = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        try {
          if (http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/"))
                          .build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode()
              == 200) {
            break;
          }
        } catch (IOException e) {
          // listener not open yet
        }
        Thread.sleep(100);
      }
      System.out.println("READY " + httpPort);
      System.out.flush();
      while (System.in.read() >= 0) {
        // serve until the script closes our stdin
      }
    }
  }
}
