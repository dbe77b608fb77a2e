package io.trellis.provider.keyvalue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.provider.testkit.ProviderProcess;
import io.trellis.provider.testkit.TestLattice;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.interfaces.KeyValue;
import io.trellis.wasmbus.interfaces.KeyValue.IncrementRequest;
import io.trellis.wasmbus.msgpack.MsgPackValues;
import io.trellis.wasmbus.par.ProviderArchive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged PAR, run as a real child process the way a host runs it. */
class KeyValueLaunchIT {
  @TempDir Path dir;

  @Test
  void theBinaryServesKeyValueAnswersHealthAndShutsDownCleanly() throws Exception {
    ProviderArchive par = ProviderProcess.archive(ProviderProcess.builtPar());
    assertEquals(Contracts.KEY_VALUE, par.capabilityContractId());
    try (TestLattice lattice = TestLattice.start()) {
      String actor = TestLattice.newActorKey();
      var link = TestLattice.link(actor, par.publicKey(), Contracts.KEY_VALUE, Map.of());
      try (ProviderProcess proc = ProviderProcess.launch(ProviderProcess.builtPar(),
          lattice.hostData(par.publicKey(), List.of(link)), dir)) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
            .until(() -> lattice.health(par.publicKey()).healthy());
        var r = lattice.call(actor, par.publicKey(), Contracts.KEY_VALUE, KeyValue.INCREMENT,
            new IncrementRequest("launched", 5).toMsgPack());
        assertTrue(r.isSuccess(), r.error() + "\n" + proc.output());
        assertEquals(5, MsgPackValues.integer(r.msg(), "result"));
        assertTrue(lattice.connection().keyValueManagement().getBucketNames().contains("trellis_kv_" + actor),
            "the default bucket is named after the actor");
        assertEquals("shutting down", lattice.shutdown(par.publicKey(), lattice.hostId(), Duration.ofSeconds(5)));
        assertTrue(proc.waitFor(Duration.ofSeconds(15)), proc.output());
        assertEquals(0, proc.process().exitValue(), proc.output());
      }
    }
  }
}
