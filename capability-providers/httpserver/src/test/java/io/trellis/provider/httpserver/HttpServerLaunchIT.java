package io.trellis.provider.httpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.provider.testkit.FakeActor;
import io.trellis.provider.testkit.ProviderProcess;
import io.trellis.provider.testkit.TestLattice;
import io.trellis.testkit.FreePorts;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.interfaces.HttpResponse;
import io.trellis.wasmbus.par.ProviderArchive;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged PAR, run as a real child process the way a host runs it. */
class HttpServerLaunchIT {
  @TempDir Path dir;

  @Test
  void theBinaryServesHttpAnswersHealthAndShutsDownCleanly() throws Exception {
    ProviderArchive par = ProviderProcess.builtArchive();
    assertEquals(Contracts.HTTP_SERVER, par.capabilityContractId());
    assertEquals(
        "VAHG4BPT5U5B53QC3CDHD25WQAUTA5WODWR5IDIPROP7CZFY4BW2TV2S",
        par.publicKey(),
        "the stable test key");
    try (TestLattice lattice = TestLattice.start()) {
      String actor = TestLattice.newActorKey();
      int port = FreePorts.allocate();
      var link =
          TestLattice.link(
              actor,
              par.publicKey(),
              Contracts.HTTP_SERVER,
              Map.of("ADDRESS", "127.0.0.1:" + port));
      try (FakeActor fake =
              lattice.actor(
                  actor,
                  (inv, p) ->
                      FakeActor.ok(
                          new HttpResponse(
                                  200, Map.of(), "from the actor".getBytes(StandardCharsets.UTF_8))
                              .toMsgPack()));
          ProviderProcess proc =
              ProviderProcess.launch(par, lattice.hostData(par.publicKey(), List.of(link)), dir)) {
        proc.awaitHealthy(lattice);
        HttpClient http = HttpClient.newHttpClient();
        var resp =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hi")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, resp.statusCode(), proc.output());
        assertEquals("from the actor", resp.body());
        assertEquals(List.of(), fake.rejected());
        proc.assertStopsCleanly(lattice);
        assertTrue(proc.output().contains("shutdown requested"), proc.output());
      }
    }
  }
}
