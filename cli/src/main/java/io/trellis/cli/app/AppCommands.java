package io.trellis.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.trellis.apps.AppStatus;
import io.trellis.apps.StatusType;
import io.trellis.apps.api.AppsClient;
import io.trellis.cli.ctl.JsonOut;
import io.trellis.cli.support.Table;
import io.trellis.wasmbus.LatticeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** The subcommands of {@code trellis app}, each a thin layer over {@link AppsClient}. */
final class AppCommands {
  private AppCommands() {}

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description = "Store a manifest version (YAML or JSON); versions are immutable.")
  static final class Put implements Callable<Integer> {
    @Mixin AppOptions opts;

    @Parameters(paramLabel = "FILE", description = "the manifest")
    Path file;

    @Override
    public Integer call() {
      byte[] manifest = ManifestFiles.read(file);
      try (AppOptions.Session s = opts.connect()) {
        AppsClient.PutReply r = ManifestFiles.put(s.apps(), manifest);
        PrintWriter out = opts.ctl.out();
        if (opts.ctl.json()) {
          JsonOut.print(
              out,
              JsonOut.object()
                  .put("result", r.result())
                  .put("name", r.name())
                  .put("current_version", r.currentVersion())
                  .put("total_versions", r.totalVersions())
                  .put("message", r.message()));
        } else {
          out.println(
              "Put "
                  + r.name()
                  + " "
                  + r.currentVersion()
                  + " ("
                  + (r.result().equals("created")
                      ? "new application"
                      : "version " + r.totalVersions() + " of " + r.name())
                  + "); deploy it with: trellis app deploy "
                  + r.name()
                  + " "
                  + r.currentVersion());
          out.flush();
        }
        return 0;
      }
    }
  }

  @Command(
      name = "deploy",
      mixinStandardHelpOptions = true,
      description =
          "Deploy an application: a stored one by NAME [VERSION], or a manifest FILE"
              + " (put, then deployed).")
  static final class Deploy implements Callable<Integer> {
    @Mixin AppOptions opts;

    @Parameters(index = "0", paramLabel = "NAME|FILE")
    String target;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "VERSION",
        description = "with NAME: the version (default: the newest)")
    @Nullable String version;

    @Option(
        names = "--wait",
        description = "return only once the application is deployed or has failed")
    boolean await;

    @Option(
        names = "--wait-timeout-ms",
        paramLabel = "MS",
        defaultValue = "120000",
        description = "how long --wait waits (default ${DEFAULT-VALUE})")
    long waitMs;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = opts.ctl.out();
      try (AppOptions.Session s = opts.connect()) {
        String name = target;
        String v = version;
        if (ManifestFiles.isFile(target)) {
          if (version != null) {
            throw new ParameterException(
                opts.ctl.commandLine(),
                "a manifest file names its own version; drop '" + version + "'");
          }
          AppsClient.PutReply put =
              ManifestFiles.putOrReuse(s.apps(), ManifestFiles.read(Path.of(target)));
          name = put.name();
          v = put.currentVersion();
          if (!opts.ctl.json()) {
            out.println(put.message());
          }
        }
        String ack = s.apps().deploy(name, v);
        if (v == null) {
          v =
              s.apps().versions(name).stream()
                  .filter(AppsClient.VersionInfo::deployed)
                  .map(AppsClient.VersionInfo::version)
                  .findFirst()
                  .orElse(null);
        }
        if (!opts.ctl.json()) {
          out.println(
              ack
                  + (await
                      ? ""
                      : " (acknowledged: 'trellis app status " + name + "' shows when it runs)"));
          out.flush();
        }
        if (!await) {
          if (opts.ctl.json()) {
            JsonOut.print(
                out,
                JsonOut.object()
                    .put("result", "acknowledged")
                    .put("name", name)
                    .put("message", ack));
          }
          return 0;
        }
        AppStatus last =
            Waiting.untilSettled(
                s.apps(),
                name,
                v,
                opts.ctl.positive(waitMs, "--wait-timeout-ms"),
                opts.ctl.json() ? null : out);
        if (opts.ctl.json()) {
          JsonOut.print(out, StatusPrinter.json(name, last));
        } else if (last.info().type() == StatusType.DEPLOYED) {
          out.println(name + " " + last.version() + " is deployed");
          out.flush();
        } else {
          StatusPrinter.print(out, name, last);
        }
        return switch (last.info().type()) {
          case DEPLOYED -> 0;
          case FAILED ->
              throw new LatticeException(
                  name + " " + last.version() + " failed: " + last.info().message());
          default ->
              throw new LatticeException(
                  name
                      + " is still "
                      + last.info().type().wire()
                      + " after "
                      + waitMs
                      + " ms: "
                      + last.info().message());
        };
      }
    }
  }

  @Command(
      name = "undeploy",
      mixinStandardHelpOptions = true,
      description = "Undeploy an application: remove exactly what it started.")
  static final class Undeploy implements Callable<Integer> {
    @Mixin AppOptions opts;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      try (AppOptions.Session s = opts.connect()) {
        String msg = s.apps().undeploy(name);
        if (opts.ctl.json()) {
          JsonOut.print(
              opts.ctl.out(), JsonOut.object().put("result", "acknowledged").put("message", msg));
        } else {
          opts.ctl.out().println(msg);
          opts.ctl.out().flush();
        }
        return 0;
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List applications with their versions and status.")
  static final class ListApps implements Callable<Integer> {
    @Mixin AppOptions opts;

    @Override
    public Integer call() {
      try (AppOptions.Session s = opts.connect()) {
        var apps = s.apps().list();
        PrintWriter out = opts.ctl.out();
        if (opts.ctl.json()) {
          ArrayNode a = JsonOut.object().arrayNode();
          for (var m : apps) {
            ObjectNode o = a.addObject().put("name", m.name()).put("version", m.version());
            o.put("description", m.description());
            o.put("deployed_version", m.deployedVersion());
            o.put("status", m.status().wire()).put("status_message", m.statusMessage());
          }
          JsonOut.print(out, a);
          return 0;
        }
        if (apps.isEmpty()) {
          out.println("No applications in lattice '" + opts.ctl.lattice() + "'");
          out.flush();
          return 0;
        }
        Table t = new Table("NAME", "LATEST", "DEPLOYED", "STATUS", "DESCRIPTION");
        for (var m : apps) {
          t.row(
              m.name(),
              m.version(),
              m.deployedVersion() == null ? "-" : m.deployedVersion(),
              m.status().wire(),
              m.description());
        }
        t.print(out);
        for (var m : apps) {
          if (!m.statusMessage().isEmpty()) {
            out.println(m.name() + ": " + m.statusMessage());
          }
        }
        out.flush();
        return 0;
      }
    }
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Print a stored manifest (YAML; -o json for JSON).")
  static final class Get implements Callable<Integer> {
    @Mixin AppOptions opts;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION")
    @Nullable String version;

    @Override
    public Integer call() {
      try (AppOptions.Session s = opts.connect()) {
        JsonNode m = s.apps().get(name, version);
        if (opts.ctl.json()) {
          JsonOut.print(opts.ctl.out(), m);
        } else {
          try {
            opts.ctl.out().print(new YAMLMapper().writeValueAsString(m));
            opts.ctl.out().flush();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        return 0;
      }
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Show an application's status, per component and trait, and why.")
  static final class Status implements Callable<Integer> {
    @Mixin AppOptions opts;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      try (AppOptions.Session s = opts.connect()) {
        AppStatus st = s.apps().status(name);
        if (opts.ctl.json()) {
          JsonOut.print(opts.ctl.out(), StatusPrinter.json(name, st));
        } else {
          StatusPrinter.print(opts.ctl.out(), name, st);
        }
        return 0;
      }
    }
  }

  @Command(
      name = "history",
      mixinStandardHelpOptions = true,
      description = "List the stored versions of an application, oldest first.")
  static final class History implements Callable<Integer> {
    @Mixin AppOptions opts;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      try (AppOptions.Session s = opts.connect()) {
        var versions = s.apps().versions(name);
        if (opts.ctl.json()) {
          ArrayNode a = JsonOut.object().arrayNode();
          versions.forEach(
              v -> a.addObject().put("version", v.version()).put("deployed", v.deployed()));
          JsonOut.print(opts.ctl.out(), a);
        } else {
          Table t = new Table("VERSION", "DEPLOYED");
          versions.forEach(v -> t.row(v.version(), v.deployed() ? "yes" : ""));
          t.print(opts.ctl.out());
        }
        return 0;
      }
    }
  }

  @Command(
      name = "delete",
      aliases = "del",
      mixinStandardHelpOptions = true,
      description =
          "Delete a version of an application, or all with --all; deleting the deployed"
              + " version undeploys it.")
  static final class Delete implements Callable<Integer> {
    @Mixin AppOptions opts;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION")
    @Nullable String version;

    @Option(names = "--all", description = "delete every version")
    boolean all;

    @Override
    public Integer call() {
      if ((version == null) == !all) {
        throw new ParameterException(opts.ctl.commandLine(), "give either a VERSION or --all");
      }
      try (AppOptions.Session s = opts.connect()) {
        AppsClient.DeleteReply r = s.apps().delete(name, version, all);
        if (opts.ctl.json()) {
          JsonOut.print(
              opts.ctl.out(),
              JsonOut.object()
                  .put("result", r.result())
                  .put("message", r.message())
                  .put("undeploy", r.undeploy()));
        } else {
          opts.ctl.out().println(r.message() + (r.undeploy() ? " (undeployed)" : ""));
          opts.ctl.out().flush();
        }
        if (r.result().equals("noop")) {
          throw new LatticeException(r.message());
        }
        return 0;
      }
    }
  }
}
