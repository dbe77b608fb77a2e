package io.trellis.cli.par;

import io.trellis.cli.support.KeyFiles;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.par.ProviderArchive;
import io.trellis.wasmbus.par.Targets;
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
import picocli.CommandLine.Spec;

/**
 * {@code trellis par create}: signs a binary into a provider archive, as {@code wash par create}.
 */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = "Create a signed provider archive from a provider binary.")
final class CreateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-b", "--binary"},
      required = true,
      paramLabel = "FILE",
      description = "the provider executable")
  Path binary;

  @Option(
      names = {"-c", "--capid"},
      required = true,
      paramLabel = "CONTRACT",
      description = "capability contract id, e.g. wasmcloud:httpserver")
  String capid;

  @Option(
      names = {"-n", "--name"},
      required = true,
      description = "the provider's name")
  String name;

  @Option(
      names = {"-v", "--vendor"},
      required = true,
      description = "the vendor")
  String vendor;

  @Option(
      names = {"-a", "--arch"},
      paramLabel = "TARGET",
      description =
          "target of the binary, e.g. x86_64-linux (default: this machine's); repeat to"
              + " store the same binary for several targets")
  List<String> arch = new ArrayList<>();

  @Option(
      names = {"-r", "--rev"},
      description = "revision number")
  @Nullable Integer rev;

  @Option(names = "--ver", description = "human-readable version")
  @Nullable String ver;

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
          "service seed (file or SV... string); default ~/.trellis/keys/<name>_service.nk, created if missing")
  @Nullable String subject;

  @Option(
      names = {"-d", "--destination"},
      paramLabel = "FILE",
      description = "where to write the archive (default: <name>.par, or .par.gz with --compress)")
  @Nullable Path destination;

  @Option(names = "--compress", description = "gzip the archive (.par.gz)")
  boolean compress;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isRegularFile(binary)) {
      throw new NoSuchFileException(binary.toString());
    }
    byte[] bytes = Files.readAllBytes(binary);
    KeyPair account = KeyFiles.signingKey(issuer, KeyType.ACCOUNT, "issuer", name, "account", err);
    KeyPair service =
        KeyFiles.signingKey(subject, KeyType.SERVICE, "subject", name, "service", err);
    List<String> targets = arch.isEmpty() ? List.of(Targets.current()) : arch;
    ProviderArchive.Builder b = ProviderArchive.builder(capid, name, vendor).rev(rev).ver(ver);
    for (String t : targets) {
      b.binary(t, bytes);
    }
    ProviderArchive par = b.sign(account, service);
    byte[] archive = par.toBytes(compress);
    ProviderArchive.read(archive, Instant.now()); // never write an archive our own reader rejects
    Path dest =
        destination != null
            ? destination
            : Path.of(KeyFiles.baseName(name) + (compress ? ".par.gz" : ".par"));
    Path parent = dest.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(dest, archive);
    out.println("Successfully created " + dest + " (" + archive.length + " bytes)");
    out.println("Provider key: " + par.publicKey());
    out.println("Targets: " + String.join(", ", par.targets()));
    out.flush();
    return 0;
  }
}
