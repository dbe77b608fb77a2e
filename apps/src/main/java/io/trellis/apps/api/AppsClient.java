package io.trellis.apps.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.trellis.apps.AppStatus;
import io.trellis.apps.ManifestProblem;
import io.trellis.apps.StatusType;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.rpc.NatsRequests;
import io.trellis.wasmbus.rpc.RequestFailure;
import io.trellis.wasmbus.rpc.RequestOutcome;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A client of wadm's model API (PROTOCOL.md §15.1), as {@code wash app} uses it: the requests and
 * replies are wadm's JSON, so it works against wadm as well as against Trellis. Thread-safe; does
 * not own the connection.
 */
public final class AppsClient {
  private final Connection nc;
  private final ApiSubjects subjects;
  private final Duration timeout;

  public AppsClient(Connection nc, ApiSubjects subjects, Duration timeout) {
    this.nc = nc;
    this.subjects = subjects;
    this.timeout = timeout;
  }

  public record PutReply(
      String result, String name, String currentVersion, int totalVersions, String message) {}

  public record ModelSummary(
      String name,
      String version,
      @Nullable String description,
      @Nullable String deployedVersion,
      StatusType status,
      String statusMessage) {}

  public record VersionInfo(String version, boolean deployed) {}

  public record DeleteReply(String result, String message, boolean undeploy) {}

  /**
   * Stores a manifest version, YAML or JSON (the server tells them apart, as wadm does without a
   * Content-Type header).
   *
   * @throws AppsApiException with every problem when the manifest is refused
   */
  public PutReply put(byte[] manifest) {
    JsonNode r = request(subjects.model("put"), manifest);
    ObjectNode o = expect(r, "put", "created", "newversion");
    return new PutReply(
        o.path("result").asText(),
        o.path("name").asText(),
        o.path("current_version").asText(),
        o.path("total_versions").asInt(),
        o.path("message").asText());
  }

  /** Deploys a version (null = the newest); returns the acknowledgement's message. */
  public String deploy(String name, @Nullable String version) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    if (version != null) {
      body.put("version", version);
    }
    return expect(
            request(subjects.model("deploy", name), Json.bytes(body)), "deploy", "acknowledged")
        .path("message")
        .asText();
  }

  public String undeploy(String name) {
    byte[] body = Json.bytes(Json.MAPPER.createObjectNode().put("non_destructive", false));
    return expect(request(subjects.model("undeploy", name), body), "undeploy", "acknowledged")
        .path("message")
        .asText();
  }

  public List<ModelSummary> list() {
    JsonNode r = request(subjects.model("list"), new byte[0]);
    if (!r.isArray()) {
      throw refused("list", r);
    }
    List<ModelSummary> out = new ArrayList<>();
    for (JsonNode m : r) {
      out.add(
          new ModelSummary(
              m.path("name").asText(),
              m.path("version").asText(),
              text(m, "description"),
              text(m, "deployed_version"),
              StatusType.fromWire(m.path("status").asText("")),
              m.path("status_message").asText("")));
    }
    return out;
  }

  /** The manifest of a version (null = the newest), as stored. */
  public JsonNode get(String name, @Nullable String version) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    if (version != null) {
      body.put("version", version);
    }
    return expect(request(subjects.model("get", name), Json.bytes(body)), "get", "success")
        .path("manifest");
  }

  public List<VersionInfo> versions(String name) {
    ObjectNode o =
        expect(request(subjects.model("versions", name), new byte[0]), "versions", "success");
    List<VersionInfo> out = new ArrayList<>();
    for (JsonNode v : o.path("versions")) {
      out.add(new VersionInfo(v.path("version").asText(), v.path("deployed").asBoolean()));
    }
    return out;
  }

  /** Deletes one version, or every version when {@code all}. */
  public DeleteReply delete(String name, @Nullable String version, boolean all) {
    ObjectNode body =
        Json.MAPPER
            .createObjectNode()
            .put("version", version == null ? "" : version)
            .put("delete_all", all);
    ObjectNode o =
        expect(request(subjects.model("del", name), Json.bytes(body)), "delete", "deleted", "noop");
    return new DeleteReply(
        o.path("result").asText(), o.path("message").asText(), o.path("undeploy").asBoolean());
  }

  public AppStatus status(String name) {
    ObjectNode o = expect(request(subjects.model("status", name), new byte[0]), "status", "ok");
    return AppStatus.fromJson(o.path("status"));
  }

  // ------------------------------------------------------------------ plumbing

  private JsonNode request(String subject, byte[] body) {
    return switch (NatsRequests.request(nc, subject, body, timeout)) {
      case RequestOutcome.Replied r -> {
        try {
          yield Json.MAPPER.readTree(r.message().getData());
        } catch (IOException e) {
          throw new AppsApiException(
              "the application API sent a reply that is not JSON on "
                  + subject
                  + ": "
                  + e.getMessage(),
              List.of(),
              false);
        }
      }
      case RequestFailure f -> throw unreachable(subject, f);
    };
  }

  private AppsApiException unreachable(String subject, RequestFailure f) {
    String why =
        switch (f) {
          case RequestFailure.NoResponders n ->
              "nothing serves the application API on "
                  + subject
                  + ": run a host with its reconciler on (the default) or 'trellis apps serve'"
                  + " on lattice '"
                  + subjects.lattice()
                  + "'";
          case RequestFailure.TimedOut t ->
              "the application API did not answer on "
                  + subject
                  + " within "
                  + t.waited().toMillis()
                  + " ms";
          case RequestFailure.ConnectionLost c ->
              "the NATS connection is " + c.describe() + " (request to " + subject + ")";
          case RequestFailure.Cancelled c -> "interrupted while waiting for " + subject;
          case RequestFailure.Failed x -> "request to " + subject + " failed: " + x.message();
          case RequestFailure.BadReply b -> "bad reply on " + subject + ": " + b.message();
        };
    return new AppsApiException(why, List.of(), false);
  }

  private static ObjectNode expect(JsonNode r, String op, String... ok) {
    if (r.isObject()) {
      String result = r.path("result").asText("");
      for (String s : ok) {
        if (s.equals(result)) {
          return (ObjectNode) r;
        }
      }
    }
    throw refused(op, r);
  }

  private static AppsApiException refused(String op, JsonNode r) {
    List<ManifestProblem> problems = new ArrayList<>();
    for (JsonNode p : r.path("problems")) {
      problems.add(new ManifestProblem(p.path("path").asText(), p.path("message").asText()));
    }
    String message = r.path("message").asText("");
    return new AppsApiException(
        message.isEmpty() ? op + " failed: " + r : message,
        problems,
        "notfound".equals(r.path("result").asText()));
  }

  private static @Nullable String text(JsonNode n, String f) {
    return n.hasNonNull(f) ? n.get(f).asText() : null;
  }
}
