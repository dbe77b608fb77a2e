package io.trellis.provider.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.trellis.provider.testkit.ProviderProcess;
import io.trellis.provider.testkit.TestLattice;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.par.ProviderArchive;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged PAR, run as a real child process the way a host runs it. */
class MessagingLaunchIT {
  @TempDir Path dir;

  @Test
  void theBinaryAnswersHealthAndShutsDownCleanly() throws Exception {
    ProviderArchive par = ProviderProcess.builtArchive();
    assertEquals(Contracts.MESSAGING, par.capabilityContractId());
    try (TestLattice lattice = TestLattice.start();
        ProviderProcess proc =
            ProviderProcess.launch(par, lattice.hostData(par.publicKey(), List.of()), dir)) {
      proc.awaitHealthy(lattice);
      proc.assertStopsCleanly(lattice);
    }
  }
}
