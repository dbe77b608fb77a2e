package io.trellis.cli.oci;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.cli.support.OutputFormat;
import io.trellis.oci.OciClient;
import io.trellis.oci.OciReference;
import io.trellis.oci.PulledArtifact;
import io.trellis.wasmbus.json.Json;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trellis pull REF [-o FILE]}: an actor module or a provider archive, to a file. */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    description = "Pull an actor module or a provider archive from an OCI registry into a file.")
public final class PullCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin RegistryOptions registry;

  @Parameters(
      index = "0",
      paramLabel = "REF",
      description = "registry[:port]/repository:tag or @sha256:...")
  String ref;

  @Option(
      names = {"-o", "--destination"},
      paramLabel = "FILE",
      description = "where to write it (default: <repository name>.wasm or .par.gz here)")
  @Nullable Path destination;

  @Option(names = "--output", description = "text or json (default: text)")
  OutputFormat output = OutputFormat.text;

  @Override
  public Integer call() throws Exception {
    OciReference parsed = OciReference.parse(ref);
    PulledArtifact a;
    try (OciClient oci = registry.client(parsed, true)) {
      a = oci.pull(ref, null);
    }
    String repo = parsed.repository();
    Path target =
        destination != null
            ? destination
            : Path.of(repo.substring(repo.lastIndexOf('/') + 1) + a.kind().fileSuffix());
    Path absolute = target.toAbsolutePath();
    Path parent = absolute.getParent() != null ? absolute.getParent() : absolute.getRoot();
    Files.createDirectories(parent);
    // a plain new file (the umask decides its mode, as for any download), renamed into place
    Path tmp = parent.resolve(".trellis-pull-" + UUID.randomUUID() + ".part");
    try {
      Files.write(tmp, a.bytes(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    PrintWriter err = spec.commandLine().getErr();
    if (a.warning() != null) {
      err.println("warning: " + a.warning());
      err.flush();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output == OutputFormat.json) {
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("reference", a.reference().toString());
      o.put("kind", a.kind().name().toLowerCase(Locale.ROOT));
      o.put("digest", a.manifestDigest());
      o.put("layer_digest", a.layerDigest());
      o.put("size", a.bytes().length);
      o.put("file", target.toString());
      o.put("source", a.source().name().toLowerCase(Locale.ROOT));
      out.println(o.toPrettyString());
    } else {
      out.println(
          "Pulled "
              + a.kind().description()
              + " "
              + a.reference()
              + " ("
              + a.bytes().length
              + " bytes"
              + (a.source() == PulledArtifact.Source.REGISTRY ? "" : ", from the cache")
              + ") to "
              + target);
      out.println("Digest: " + a.manifestDigest());
    }
    out.flush();
    return 0;
  }
}
