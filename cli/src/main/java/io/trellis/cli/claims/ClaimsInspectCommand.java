package io.trellis.cli.claims;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.cli.oci.ArtifactInput;
import io.trellis.cli.oci.RegistryOptions;
import io.trellis.cli.support.OutputFormat;
import io.trellis.cli.support.Table;
import io.trellis.oci.ArtifactKind;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.Claims;
import io.trellis.wasmbus.claims.ClaimsCodec;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.claims.ModuleHashMismatchException;
import io.trellis.wasmbus.claims.NoClaimsException;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.jwt.InvalidSignatureException;
import io.trellis.wasmbus.jwt.Jwt;
import io.trellis.wasmbus.jwt.TokenExpiredException;
import io.trellis.wasmbus.jwt.TokenNotYetValidException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trellis claims inspect MODULE}: shows the claims and whether signature and hash verify. A
 * module that fails verification is still shown, with the reason, and exits 1. MODULE is a file or
 * an OCI reference (PROTOCOL.md §14), which is pulled through the cache.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "Show a module's claims and whether its signature and hash verify.")
final class ClaimsInspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "MODULE",
      description = "a .wasm file, or an OCI reference (registry/repository:tag)")
  String module;

  @Mixin RegistryOptions registry;

  @Option(
      names = {"-o", "--output"},
      description = "text or json (default: text)")
  OutputFormat output = OutputFormat.text;

  @Override
  public Integer call() throws Exception {
    ArtifactInput.Loaded loaded =
        ArtifactInput.read(module, ArtifactKind.ACTOR, registry, spec.commandLine().getErr());
    byte[] bytes = loaded.bytes();
    String token =
        ModuleClaims.findToken(bytes)
            .orElseThrow(
                () ->
                    new NoClaimsException(
                        "No claims found in "
                            + loaded.name()
                            + ": sign it with 'trellis claims sign'"));
    Claims<ActorMetadata> claims = ClaimsCodec.parseActor(Jwt.decode(token).claimsJson());
    String computed = null;
    String problem = null;
    String signature = "valid";
    try {
      // verify hashes the module last, once everything else passed: reuse that hash rather than
      // computing it twice. (A hash mismatch does not carry the hash, so that path hashes again.)
      computed = ModuleClaims.verify(bytes, Instant.now()).hash();
    } catch (TokenExpiredException | TokenNotYetValidException | ModuleHashMismatchException e) {
      // verify checks these only after the signature verified
      problem = e.getMessage();
    } catch (InvalidSignatureException e) {
      problem = e.getMessage();
      signature = "INVALID";
    } catch (LatticeException e) {
      // a malformed token (issuer or subject not a usable key) fails before the signature is
      // checked, so nothing can be said for it
      problem = e.getMessage();
      signature = "NOT CHECKED";
    }
    if (computed == null) {
      computed = ModuleClaims.computeHash(bytes);
    }
    boolean hashOk = computed.equalsIgnoreCase(String.valueOf(claims.metadata().hash()));
    boolean sigOk = signature.equals("valid");
    PrintWriter out = spec.commandLine().getOut();
    ActorMetadata m = claims.metadata();
    if (output == OutputFormat.json) {
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("name", m.name());
      o.put("module", claims.subject());
      o.put("account", claims.issuer());
      ArrayNode caps = o.putArray("capabilities");
      m.capsOrEmpty().forEach(caps::add);
      ArrayNode tags = o.putArray("tags");
      m.tagsOrEmpty().forEach(tags::add);
      o.put("revision", claims.effectiveRevision());
      o.put("version", m.ver());
      o.put("call_alias", m.callAlias());
      o.put("expires", claims.expiresHuman());
      o.put("can_be_used", claims.notBeforeHuman());
      o.put("hash", m.hash());
      o.put("computed_hash", computed);
      o.put("signature_valid", sigOk);
      o.put("hash_valid", hashOk);
      o.put("valid", problem == null);
      if (problem != null) {
        o.put("error", problem);
      }
      out.println(o.toPrettyString());
    } else {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"Name", m.name()});
      rows.add(new String[] {"Module", claims.subject()});
      rows.add(new String[] {"Account", claims.issuer()});
      rows.add(
          new String[] {
            "Capabilities", m.capsOrEmpty().isEmpty() ? "None" : String.join(", ", m.capsOrEmpty())
          });
      rows.add(
          new String[] {
            "Tags", m.tagsOrEmpty().isEmpty() ? "None" : String.join(", ", m.tagsOrEmpty())
          });
      rows.add(new String[] {"Revision", Long.toString(claims.effectiveRevision())});
      rows.add(new String[] {"Version", m.ver() == null ? "None" : m.ver()});
      rows.add(new String[] {"Call Alias", m.callAlias() == null ? "None" : m.callAlias()});
      rows.add(new String[] {"Expires", claims.expiresHuman()});
      rows.add(new String[] {"Can Be Used", claims.notBeforeHuman()});
      rows.add(new String[] {"Hash", m.hash()});
      rows.add(new String[] {"Signature", signature});
      rows.add(
          new String[] {
            "Hash Check", hashOk ? "valid" : "INVALID (module hashes to " + computed + ")"
          });
      Table.keyValues(out, rows);
      if (problem != null) {
        out.println();
        out.println("NOT VALID: " + problem);
      }
    }
    out.flush();
    return problem == null ? 0 : 1;
  }
}
