package io.trellis.ctl;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueOptions;
import io.nats.client.api.KeyValueEntry;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.link.LinkDefinition;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads claims and links straight from the {@code LATTICEDATA_{lattice}} bucket (PROTOCOL.md §9.2),
 * as control-interface clients from 0.23 on do. Used when no host answers {@code get.claims} or
 * {@code get.links}: the lattice data outlives its hosts.
 */
final class LatticeDataReader {
  private final Connection nc;
  private final String bucket;
  private final KeyValueOptions options;

  public LatticeDataReader(
      Connection nc, String lattice, @Nullable String jsDomain, Duration timeout) {
    this.nc = nc;
    this.bucket = "LATTICEDATA_" + lattice;
    KeyValueOptions.Builder b = KeyValueOptions.builder().jsRequestTimeout(timeout);
    if (jsDomain != null && !jsDomain.isBlank()) {
      b.jsDomain(jsDomain);
    }
    this.options = b.build();
  }

  /** Empty when the bucket or JetStream is not there. */
  public Optional<List<ClaimsRecord>> claims() {
    return read("CLAIMS_", e -> ClaimsRecord.fromJson(e.getValue()));
  }

  public Optional<List<LinkDefinition>> links() {
    return read("LINKDEF_", e -> LinkDefinition.fromJson(e.getValue()));
  }

  private <T> Optional<List<T>> read(String prefix, Function<KeyValueEntry, T> parse) {
    try {
      KeyValue kv = nc.keyValue(bucket, options);
      List<T> out = new ArrayList<>();
      for (String key : kv.keys()) {
        if (!key.startsWith(prefix)) {
          continue;
        }
        KeyValueEntry e = kv.get(key);
        if (e == null || e.getValue() == null || e.getValue().length == 0) {
          continue;
        }
        try {
          out.add(parse.apply(e));
        } catch (LatticeException bad) {
          // one unreadable value (another tool's format) must not hide the others
        }
      }
      return Optional.of(out);
    } catch (IOException | JetStreamApiException | IllegalStateException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
