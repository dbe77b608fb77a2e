package io.trellis.cli.claims;

import io.nats.client.NUID;
import io.trellis.cli.support.KeyFiles;
import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.claims.SignedModule;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trellis claims sign MODULE}: embeds signed actor claims, as {@code wash claims sign}. */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = "Sign a WebAssembly module with actor claims.")
final class SignCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODULE", description = "the .wasm file to sign")
  Path module;

  @Option(
      names = {"-d", "--destination"},
      paramLabel = "FILE",
      description = "where to write the signed module (default: MODULE with _s before .wasm)")
  @Nullable Path destination;

  @Option(
      names = {"-n", "--name"},
      required = true,
      description = "the actor's name")
  String name;

  @Option(
      names = {"-c", "--cap"},
      paramLabel = "CONTRACT",
      description = "a capability contract the actor may use; repeat for several")
  List<String> caps = new ArrayList<>();

  @Option(
      names = {"-i", "--issuer"},
      paramLabel = "SEEDFILE",
      description =
          "account seed (file or SA... string); default ~/.trellis/keys/<name>_account.nk, created if missing")
  @Nullable String issuer;

  @Option(
      names = {"-s", "--subject"},
      paramLabel = "SEEDFILE",
      description =
          "module seed (file or SM... string); default ~/.trellis/keys/<name>_module.nk, created if missing")
  @Nullable String subject;

  @Option(
      names = {"-r", "--rev"},
      description = "revision number")
  @Nullable Integer rev;

  @Option(
      names = {"-v", "--ver"},
      description = "human-readable version")
  @Nullable String ver;

  @Option(
      names = {"-a", "--call-alias"},
      description = "call alias other actors may use")
  @Nullable String callAlias;

  @Option(
      names = {"-t", "--tag"},
      description = "a tag; repeat for several")
  List<String> tags = new ArrayList<>();

  @Option(
      names = {"-x", "--expires-in"},
      paramLabel = "DURATION",
      description = "token lifetime: days (30) or 12h, 45m, 10s")
  @Nullable String expiresIn;

  @Option(
      names = {"-b", "--not-before"},
      paramLabel = "DURATION",
      description = "time until the token becomes valid: days or 12h, 45m, 10s")
  @Nullable String notBefore;

  @Option(
      names = "--iat",
      hidden = true,
      description = "issued-at (unix seconds), for reproducible builds")
  @Nullable Long issuedAt;

  @Option(names = "--jti", hidden = true, description = "token id, for reproducible builds")
  @Nullable String jti;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isRegularFile(module)) {
      throw new NoSuchFileException(module.toString());
    }
    byte[] bytes = Files.readAllBytes(module);
    KeyPair account = KeyFiles.signingKey(issuer, KeyType.ACCOUNT, "issuer", name, "account", err);
    KeyPair moduleKey =
        KeyFiles.signingKey(subject, KeyType.MODULE, "subject", name, "module", err);
    long iat = issuedAt != null ? issuedAt : Instant.now().getEpochSecond();
    Long exp =
        expiresIn == null ? null : iat + Durations.parse(expiresIn, "--expires-in").toSeconds();
    Long nbf =
        notBefore == null ? null : iat + Durations.parse(notBefore, "--not-before").toSeconds();
    ActorMetadata meta =
        new ActorMetadata(
            name,
            null,
            tags,
            caps,
            rev,
            ver,
            callAlias == null ? null : ActorMetadata.normalizeCallAlias(callAlias),
            false);
    byte[] signed =
        ModuleClaims.sign(
            bytes, meta, account, moduleKey, iat, jti != null ? jti : NUID.nextGlobal(), exp, nbf);
    Path dest = destination != null ? destination : defaultDestination(module);
    Path parent = dest.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(dest, signed);
    // Verify what we wrote (with the not-before waived) so a bad write never goes unnoticed.
    SignedModule check =
        ModuleClaims.verify(signed, nbf == null ? Instant.now() : Instant.ofEpochSecond(nbf));
    out.println(
        "Successfully signed "
            + dest
            + " with capabilities: "
            + (caps.isEmpty() ? "(none)" : String.join(",", caps)));
    out.println("Module key: " + check.publicKey());
    out.flush();
    return 0;
  }

  private static Path defaultDestination(Path module) {
    String file = module.getFileName().toString();
    String stem = file.endsWith(".wasm") ? file.substring(0, file.length() - 5) : file;
    return module.resolveSibling(stem + "_s.wasm");
  }
}
