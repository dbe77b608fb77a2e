package io.trellis.cli.par;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.cli.oci.ArtifactInput;
import io.trellis.cli.oci.RegistryOptions;
import io.trellis.cli.support.OutputFormat;
import io.trellis.cli.support.Table;
import io.trellis.oci.ArtifactKind;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.claims.ProviderMetadata;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.par.ProviderArchive;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trellis par inspect FILE}: the archive's claims, every target with its hash, and whether
 * it verifies. An archive that does not verify is still shown, with the reason, and exits 1. FILE
 * may be an OCI reference (PROTOCOL.md §14).
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "Show a provider archive's claims and targets, and whether it verifies.")
final class ParInspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "a .par or .par.gz file, or an OCI reference (registry/repository:tag)")
  String file;

  @Mixin RegistryOptions registry;

  @Option(
      names = {"-o", "--output"},
      description = "text or json (default: text)")
  OutputFormat output = OutputFormat.text;

  /** One target: the signed hash, the computed one (null when the archive has no binary for it). */
  private record TargetRow(String target, @Nullable String signed, @Nullable String computed) {
    boolean ok() {
      return signed != null && signed.equalsIgnoreCase(computed);
    }

    String status() {
      if (computed == null) {
        return "MISSING (no binary)";
      }
      if (signed == null) {
        return "INVALID (no hash in claims)";
      }
      return ok() ? "valid" : "INVALID (binary hashes to " + computed + ")";
    }
  }

  @Override
  public Integer call() throws Exception {
    ProviderArchive par =
        ProviderArchive.parse(
            ArtifactInput.read(file, ArtifactKind.PROVIDER, registry, spec.commandLine().getErr())
                .bytes());
    String problem = null;
    try {
      par.verify(Instant.now());
    } catch (LatticeException e) {
      problem = e.getMessage();
    }
    ProviderMetadata m = par.metadata();
    List<TargetRow> rows = new ArrayList<>();
    TreeSet<String> all = new TreeSet<>(m.targetHashes().keySet());
    all.addAll(par.targets());
    for (String t : all) {
      rows.add(
          new TargetRow(
              t,
              m.targetHashes().get(t),
              par.targets().contains(t) ? ProviderArchive.hash(par.binary(t)) : null));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output == OutputFormat.json) {
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("name", m.name());
      o.put("capability_contract_id", m.capabilityContractId());
      o.put("vendor", m.vendor());
      o.put("revision", par.claims().effectiveRevision());
      o.put("version", m.ver());
      o.put("service", par.publicKey());
      o.put("issuer", par.issuer());
      o.put("expires", par.claims().expiresHuman());
      o.put("can_be_used", par.claims().notBeforeHuman());
      ArrayNode targets = o.putArray("targets");
      for (TargetRow r : rows) {
        targets
            .addObject()
            .put("target", r.target())
            .put("hash", r.signed())
            .put("computed_hash", r.computed())
            .put("valid", r.ok());
      }
      o.put("valid", problem == null);
      if (problem != null) {
        o.put("error", problem);
      }
      out.println(o.toPrettyString());
    } else {
      Table.keyValues(
          out,
          List.of(
              new String[] {"Name", m.name()},
              new String[] {"Capability Contract", m.capabilityContractId()},
              new String[] {"Vendor", m.vendor()},
              new String[] {"Revision", Long.toString(par.claims().effectiveRevision())},
              new String[] {"Version", m.ver() == null ? "None" : m.ver()},
              new String[] {"Service Key", par.publicKey()},
              new String[] {"Issuer", par.issuer()},
              new String[] {"Expires", par.claims().expiresHuman()},
              new String[] {"Can Be Used", par.claims().notBeforeHuman()}));
      out.println();
      Table t = new Table("TARGET", "SHA-256", "STATUS");
      rows.forEach(r -> t.row(r.target(), r.signed() == null ? "-" : r.signed(), r.status()));
      t.print(out);
      out.println();
      out.println(
          problem == null
              ? "Valid: signature, times and every binary's hash verify"
              : "NOT VALID: " + problem);
    }
    out.flush();
    return problem == null ? 0 : 1;
  }
}
