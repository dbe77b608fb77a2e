package io.trellis.apps.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.apps.AppStatus;
import io.trellis.apps.Component;
import io.trellis.apps.InvalidManifestException;
import io.trellis.apps.Manifest;
import io.trellis.apps.ManifestParser;
import io.trellis.apps.ManifestProblem;
import io.trellis.apps.store.AppStore;
import io.trellis.apps.store.AppStoreException;
import io.trellis.apps.store.StoredApp;
import io.trellis.apps.store.Versioned;
import io.trellis.wasmbus.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The operations of wadm's model API (PROTOCOL.md §15.1), each taking the request and returning the
 * reply in wadm's JSON. Storage failures become wadm's generic error with the reason.
 */
public final class ModelApi {
  private static final int ATTEMPTS = 10;

  private final AppStore store;
  private final LeaderLookup leader;
  private final String lattice;

  public ModelApi(AppStore store, LeaderLookup leader, String lattice) {
    this.store = store;
    this.leader = leader;
    this.lattice = lattice;
  }

  /** A lost compare-and-set: read again and retry. */
  @FunctionalInterface
  private interface Attempt {
    ObjectNode run();
  }

  private static ObjectNode retrying(Attempt a) {
    for (int i = 1; ; i++) {
      try {
        return a.run();
      } catch (AppStoreException.Conflict e) {
        if (i == ATTEMPTS) {
          return Replies.error(
              "the application was changed concurrently " + ATTEMPTS + " times; try again");
        }
      } catch (AppStoreException e) {
        return Replies.error("Internal storage error: " + e.getMessage());
      }
    }
  }

  // ------------------------------------------------------------------ put

  public ObjectNode put(byte[] body, @Nullable String contentType) {
    JsonNode tree;
    try {
      tree = ManifestParser.read(body, contentType);
    } catch (InvalidManifestException e) {
      return invalid(e.problems());
    }
    List<ManifestProblem> problems = new ArrayList<>();
    Manifest manifest = null;
    try {
      manifest = ManifestParser.fromTree(tree);
    } catch (InvalidManifestException e) {
      problems.addAll(e.problems());
    }
    String name = tree.path("metadata").path("name").asText("").strip();
    String version = tree.path("metadata").path("annotations").path("version").asText("").strip();
    Manifest m = manifest;
    return retrying(
        () -> {
          List<ManifestProblem> all = new ArrayList<>(problems);
          Optional<Versioned<StoredApp>> stored =
              name.isEmpty() || !name.matches("[-A-Za-z0-9_]+")
                  ? Optional.empty()
                  : store.app(name);
          if (stored.isPresent() && stored.get().value().has(version)) {
            all.add(
                new ManifestProblem(
                    "metadata.annotations.version",
                    "version "
                        + version
                        + " of "
                        + name
                        + " exists already; versions are immutable, so put this one as a new"
                        + " version"));
          }
          if (!all.isEmpty() || m == null) {
            return invalid(all);
          }
          StoredApp before = stored.map(Versioned::value).orElse(StoredApp.empty(name));
          StoredApp after = before.withVersion(m);
          store.putApp(after, stored.map(Versioned::revision).orElse(0L));
          ObjectNode r =
              Json.MAPPER
                  .createObjectNode()
                  .put("result", before.isEmpty() ? "created" : "newversion")
                  .put("total_versions", after.versions().size())
                  .put("current_version", m.version())
                  .put("message", "Successfully put manifest " + name + " " + m.version())
                  .put("name", name);
          return r;
        });
  }

  private static ObjectNode invalid(List<ManifestProblem> problems) {
    ObjectNode r = Replies.error(new InvalidManifestException(problems).getMessage());
    ArrayNode ps = r.putArray("problems");
    problems.forEach(p -> ps.addObject().put("path", p.path()).put("message", p.message()));
    return r;
  }

  // ------------------------------------------------------------------ reads

  public ObjectNode get(String name, byte[] body) {
    String version;
    try {
      version = optionalText(body, "version");
    } catch (IllegalArgumentException e) {
      return Replies.error("Unable to parse get model request: " + e.getMessage());
    }
    return retrying(
        () -> {
          Optional<Versioned<StoredApp>> stored = store.app(name);
          if (stored.isEmpty()) {
            return Replies.result("notfound", "Model with the name " + name + " not found");
          }
          StoredApp app = stored.get().value();
          String v = version == null || version.isEmpty() ? app.currentVersion() : version;
          JsonNode m = app.manifests().get(v);
          if (m == null) {
            return Replies.result(
                "notfound", "Model " + name + " with version " + v + " doesn't exist");
          }
          ObjectNode r =
              Replies.result(
                  "success",
                  "Successfully fetched model "
                      + name
                      + (version == null || version.isEmpty() ? "" : " " + version));
          r.set("manifest", m);
          return r;
        });
  }

  /** A JSON array of model summaries (on error: wadm's generic error object). */
  public JsonNode list() {
    try {
      Optional<String> lead = leader.leader();
      ArrayNode out = Json.MAPPER.createArrayNode();
      for (String name : store.appNames()) {
        Optional<Versioned<StoredApp>> stored = store.app(name);
        if (stored.isEmpty()) {
          continue;
        }
        StoredApp app = stored.get().value();
        AppStatus s = StatusView.of(app, store.status(name), lead, lattice);
        ObjectNode o = out.addObject().put("name", name).put("version", app.currentVersion());
        String description = app.current().description();
        if (description == null) {
          o.putNull("description");
        } else {
          o.put("description", description);
        }
        if (app.deployedVersion() == null) {
          o.putNull("deployed_version");
        } else {
          o.put("deployed_version", app.deployedVersion());
        }
        o.put("status", s.info().type().wire());
        o.put("status_message", s.info().message());
      }
      return out;
    } catch (AppStoreException e) {
      return Replies.error("Internal storage error: " + e.getMessage());
    }
  }

  public ObjectNode versions(String name) {
    return retrying(
        () -> {
          Optional<Versioned<StoredApp>> stored = store.app(name);
          if (stored.isEmpty()) {
            ObjectNode r = Replies.result("notfound", "Model with the name " + name + " not found");
            r.putArray("versions");
            return r;
          }
          StoredApp app = stored.get().value();
          ObjectNode r =
              Replies.result("success", "Successfully fetched versions for model " + name);
          ArrayNode vs = r.putArray("versions");
          for (String v : app.versions()) {
            vs.addObject().put("version", v).put("deployed", v.equals(app.deployedVersion()));
          }
          return r;
        });
  }

  public ObjectNode status(String name) {
    return retrying(
        () -> {
          Optional<Versioned<StoredApp>> stored = store.app(name);
          if (stored.isEmpty()) {
            return Replies.result("notfound", "Model with the name " + name + " not found");
          }
          AppStatus s =
              StatusView.of(stored.get().value(), store.status(name), leader.leader(), lattice);
          ObjectNode r = Replies.result("ok", "Successfully fetched status for model " + name);
          r.set("status", s.toJsonNode());
          return r;
        });
  }

  // ------------------------------------------------------------------ changes

  public ObjectNode deploy(String name, byte[] body) {
    String requested;
    try {
      requested = optionalText(body, "version");
    } catch (IllegalArgumentException e) {
      return Replies.error("Unable to parse deploy model request: " + e.getMessage());
    }
    return retrying(
        () -> {
          Optional<Versioned<StoredApp>> stored = store.app(name);
          if (stored.isEmpty()) {
            return Replies.result("notfound", "Model with the name " + name + " not found");
          }
          StoredApp app = stored.get().value();
          String v =
              requested == null || requested.isEmpty() || requested.equals(Manifest.LATEST)
                  ? app.currentVersion()
                  : requested;
          if (!app.has(v)) {
            return Replies.error(
                "Model with the name "
                    + name
                    + " does not have the specified version to deploy ("
                    + v
                    + "; stored: "
                    + String.join(", ", app.versions())
                    + ")");
          }
          String conflict = providerConflict(name, app.manifest(v).orElseThrow());
          if (conflict != null) {
            return Replies.error(conflict);
          }
          store.putApp(app.deploying(v), stored.get().revision());
          return Replies.result("acknowledged", "Successfully deployed model " + name + " " + v);
        });
  }

  /**
   * wadm's rule: two deployed applications may not run different versions of one provider
   * repository, since the lattice cannot tell the two apart.
   */
  private @Nullable String providerConflict(String name, Manifest m) {
    for (String other : store.appNames()) {
      if (other.equals(name)) {
        continue;
      }
      Optional<Manifest> deployed = store.app(other).flatMap(a -> a.value().deployed());
      if (deployed.isEmpty()) {
        continue;
      }
      for (Component.Capability mine : m.capabilities()) {
        Optional<ImageRefs.RepoTag> a = ImageRefs.parse(mine.image());
        if (a.isEmpty()) {
          continue;
        }
        for (Component.Capability theirs : deployed.get().capabilities()) {
          Optional<ImageRefs.RepoTag> b = ImageRefs.parse(theirs.image());
          if (b.isPresent()
              && a.get().repository().equals(b.get().repository())
              && !a.get().tag().equals(b.get().tag())) {
            return "Provider "
                + mine.image()
                + " is already deployed with a different version in "
                + other
                + " ("
                + theirs.image()
                + ").";
          }
        }
      }
    }
    return null;
  }

  public ObjectNode undeploy(String name, byte[] body) {
    if (body.length > 0) {
      try {
        Json.readObject(body, (why, cause) -> new IllegalArgumentException(why, cause));
      } catch (IllegalArgumentException e) {
        return Replies.error("Unable to parse undeploy model request: " + e.getMessage());
      }
    }
    return retrying(
        () -> {
          Optional<Versioned<StoredApp>> stored = store.app(name);
          if (stored.isEmpty()) {
            return Replies.result("notfound", "Model with the name " + name + " not found");
          }
          StoredApp app = stored.get().value();
          if (app.deployedVersion() == null) {
            return Replies.result("acknowledged", "Model " + name + " was already undeployed");
          }
          store.putApp(app.undeployed(), stored.get().revision());
          return Replies.result("acknowledged", "Successfully undeployed model " + name);
        });
  }

  public ObjectNode delete(String name, byte[] body) {
    String version;
    boolean all;
    try {
      ObjectNode req =
          body.length == 0
              ? Json.MAPPER.createObjectNode()
              : Json.readObject(body, (why, cause) -> new IllegalArgumentException(why, cause));
      version = req.path("version").asText("");
      all = req.path("delete_all").asBoolean(false);
    } catch (IllegalArgumentException e) {
      return Replies.error("Unable to parse delete model request: " + e.getMessage());
    }
    return retrying(
        () -> {
          Optional<Versioned<StoredApp>> stored = store.app(name);
          if (stored.isEmpty()) {
            return deleteReply("noop", "Model " + name + " doesn't exist", false);
          }
          StoredApp app = stored.get().value();
          long rev = stored.get().revision();
          if (all) {
            store.deleteApp(name, rev);
            return deleteReply("deleted", "Successfully deleted model " + name, true);
          }
          if (!app.has(version)) {
            return deleteReply(
                "noop",
                "Model version "
                    + version
                    + " doesn't exist"
                    + (version.isEmpty() ? " (give a version, or delete_all)" : ""),
                false);
          }
          StoredApp after = app.withoutVersion(version);
          boolean undeploy = version.equals(app.deployedVersion());
          if (after.isEmpty()) {
            store.deleteApp(name, rev);
            return deleteReply(
                "deleted", "Successfully deleted last version of model " + name, true);
          }
          store.putApp(after, rev);
          return deleteReply(
              "deleted", "Successfully deleted version " + version + " of model " + name, undeploy);
        });
  }

  private static ObjectNode deleteReply(String result, String message, boolean undeploy) {
    return Replies.result(result, message).put("undeploy", undeploy);
  }

  private static @Nullable String optionalText(byte[] body, String field) {
    if (body.length == 0) {
      return null;
    }
    ObjectNode o = Json.readObject(body, (why, cause) -> new IllegalArgumentException(why, cause));
    JsonNode v = o.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
