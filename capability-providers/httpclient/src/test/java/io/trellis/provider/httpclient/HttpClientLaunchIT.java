package io.trellis.provider.httpclient;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.provider.testkit.ProviderProcess;
import io.trellis.provider.testkit.TestLattice;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.par.ProviderArchive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged PAR, run as a real child process the way a host runs it. */
class HttpClientLaunchIT {
  @TempDir Path dir;

  @Test
  void theBinaryAnswersHealthAndShutsDownCleanly() throws Exception {
    ProviderArchive par = ProviderProcess.archive(ProviderProcess.builtPar());
    assertEquals(Contracts.HTTP_CLIENT, par.capabilityContractId());
    try (TestLattice lattice = TestLattice.start();
        ProviderProcess proc = ProviderProcess.launch(ProviderProcess.builtPar(),
            lattice.hostData(par.publicKey(), List.of()), dir)) {
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> lattice.health(par.publicKey()).healthy());
      assertEquals("shutting down", lattice.shutdown(par.publicKey(), lattice.hostId(), Duration.ofSeconds(5)));
      assertTrue(proc.waitFor(Duration.ofSeconds(15)), proc.output());
      assertEquals(0, proc.process().exitValue(), proc.output());
    }
  }
}
