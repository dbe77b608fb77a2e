package io.trellis.cli.oci;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.cli.ctl.KeyValues;
import io.trellis.cli.support.OutputFormat;
import io.trellis.oci.ArtifactKind;
import io.trellis.oci.OciClient;
import io.trellis.oci.OciReference;
import io.trellis.oci.PushRequest;
import io.trellis.oci.PushResult;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.par.ProviderArchive;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trellis push REF FILE}: an actor module or a provider archive, told apart by content, in
 * wash's layout (PROTOCOL.md §14.6), so that wash and the OTP host can pull it too.
 */
@Command(
    name = "push",
    mixinStandardHelpOptions = true,
    description =
        "Push an actor module (.wasm) or a provider archive (.par.gz) to an OCI registry.")
public final class PushCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin RegistryOptions registry;

  @Parameters(index = "0", paramLabel = "REF", description = "registry[:port]/repository:tag")
  String ref;

  @Parameters(index = "1", paramLabel = "FILE", description = "a .wasm module or a .par.gz")
  Path file;

  @Option(
      names = {"-a", "--annotation"},
      paramLabel = "KEY=VALUE",
      description = "manifest annotation, e.g. org.opencontainers.image.source=URL; repeatable")
  @Nullable List<String> annotations;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "the config blob (default: {} as wash writes it)")
  @Nullable Path config;

  @Option(
      names = {"-o", "--output"},
      description = "text or json (default: text)")
  OutputFormat output = OutputFormat.text;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString());
    }
    byte[] bytes = Files.readAllBytes(file);
    ArtifactKind kind = ArtifactKind.detect(bytes, file.toString());
    PrintWriter err = spec.commandLine().getErr();
    if (kind == ArtifactKind.PROVIDER) {
      // refuse what no host could start, before anything is uploaded
      ProviderArchive.parse(bytes);
    } else if (ModuleClaims.findToken(bytes).isEmpty()) {
      err.println(
          "warning: "
              + file
              + " carries no claims; hosts refuse unsigned actors (trellis claims sign)");
    }
    Map<String, String> a = KeyValues.parse(spec.commandLine(), annotations, "--annotation");
    OciReference parsed = OciReference.parse(ref);
    PushRequest request =
        new PushRequest(
            kind, a, registry.allowLatest, config == null ? null : Files.readAllBytes(config));
    PushResult r;
    try (OciClient oci = registry.client(parsed, false)) {
      r = oci.push(ref, bytes, request);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output == OutputFormat.json) {
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("reference", r.reference().toString());
      o.put("kind", kind.name().toLowerCase(Locale.ROOT));
      o.put("digest", r.manifestDigest());
      o.put("size", bytes.length);
      out.println(o.toPrettyString());
    } else {
      out.println(
          "Pushed "
              + kind.description()
              + " "
              + file.getFileName()
              + " ("
              + bytes.length
              + " bytes) to "
              + r.reference());
      out.println("Digest: " + r.manifestDigest());
    }
    out.flush();
    err.flush();
    return 0;
  }
}
