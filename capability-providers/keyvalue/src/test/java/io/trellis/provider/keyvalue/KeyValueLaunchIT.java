package io.trellis.provider.keyvalue;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged PAR, run as a real child process the way a host runs it. */
class KeyValueLaunchIT {
  @TempDir Path dir;

  @Test
  void theBinaryServesKeyValueAnswersHealthAndShutsDownCleanly() throws Exception {
    ProviderArchive par = ProviderProcess.builtArchive();
    assertEquals(Contracts.KEY_VALUE, par.capabilityContractId());
    try (TestLattice lattice = TestLattice.start()) {
      String actor = TestLattice.newActorKey();
      var link = TestLattice.link(actor, par.publicKey(), Contracts.KEY_VALUE, Map.of());
      try (ProviderProcess proc =
          ProviderProcess.launch(par, lattice.hostData(par.publicKey(), List.of(link)), dir)) {
        proc.awaitHealthy(lattice);
        var r =
            lattice.call(
                actor,
                par.publicKey(),
                Contracts.KEY_VALUE,
                KeyValue.INCREMENT,
                new IncrementRequest("launched", 5).toMsgPack());
        assertTrue(r.isSuccess(), r.error() + "\n" + proc.output());
        assertEquals(5, MsgPackValues.integer(r.msg(), "result"));
        assertTrue(
            lattice
                .connection()
                .keyValueManagement()
                .getBucketNames()
                .contains("trellis_kv_" + actor),
            "the default bucket is named after the actor");
        proc.assertStopsCleanly(lattice);
      }
    }
  }
}
