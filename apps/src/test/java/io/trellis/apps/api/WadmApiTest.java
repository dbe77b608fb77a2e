package io.trellis.apps.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.trellis.apps.AppStatus;
import io.trellis.apps.StatusInfo;
import io.trellis.apps.store.AppStore;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * wadm's model API driven with raw NATS requests in wadm's JSON (what {@code wash app} and wadm's
 * clients send), against a real nats-server with JetStream.
 */
class WadmApiTest {
  static NatsServer nats;
  static Connection nc;
  static AppStore store;
  static WadmApiServer server;
  static final AtomicReference<Optional<String>> LEADER =
      new AtomicReference<>(Optional.of("RECONCILER"));

  static String manifest(String name, String version) {
    return """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: %s
          annotations:
            version: %s
            description: "echo app"
        spec:
          components:
            - name: echo
              type: actor
              properties:
                image: file:///tmp/echo.wasm
              traits:
                - type: spreadscaler
                  properties:
                    replicas: 2
        """
        .formatted(name, version);
  }

  @BeforeAll
  static void start() {
    nats = NatsServer.start();
    nc = nats.connect();
    store = AppStore.open(nc, "apitest", null, Duration.ofSeconds(5));
    server =
        WadmApiServer.start(
            nc,
            new ApiSubjects(ApiSubjects.DEFAULT_PREFIX, "apitest"),
            new ModelApi(store, () -> LEADER.get(), "apitest"));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    nc.close();
    nats.close();
  }

  static JsonNode request(String op, String body) throws Exception {
    return request(op, body.getBytes(StandardCharsets.UTF_8), null);
  }

  static JsonNode request(String op, byte[] body, String contentType) throws Exception {
    Headers h = new Headers();
    if (contentType != null) {
      h.put("Content-Type", contentType);
    }
    Message reply =
        nc.request(
                NatsMessage.builder()
                    .subject("wadm.api.apitest.model." + op)
                    .headers(h)
                    .data(body)
                    .build())
            .get();
    return Json.MAPPER.readTree(reply.getData());
  }

  @Test
  void putGetVersionsDeployUndeployDeleteInWadmsShapes() throws Exception {
    JsonNode put = request("put", manifest("echo", "v1"));
    assertEquals("created", put.path("result").asText(), put.toString());
    assertEquals(1, put.path("total_versions").asInt());
    assertEquals("v1", put.path("current_version").asText());
    assertEquals("echo", put.path("name").asText());
    assertEquals("Successfully put manifest echo v1", put.path("message").asText());

    // JSON with wadm's Content-Type; wadm's field name "instances"
    String json =
        Json.MAPPER
            .writeValueAsString(
                Json.MAPPER.readTree(
                    new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
                        .readTree(manifest("echo", "v2"))
                        .toString()))
            .replace("\"replicas\"", "\"instances\"");
    JsonNode put2 = request("put", json.getBytes(StandardCharsets.UTF_8), "application/json");
    assertEquals("newversion", put2.path("result").asText(), put2.toString());
    assertEquals(2, put2.path("total_versions").asInt());

    JsonNode again = request("put", manifest("echo", "v1"));
    assertEquals("error", again.path("result").asText());
    assertTrue(
        again.path("message").asText().contains("version v1 of echo exists already"),
        again.toString());

    JsonNode get = request("get.echo", "");
    assertEquals("success", get.path("result").asText());
    assertEquals("v2", get.at("/manifest/metadata/annotations/version").asText());
    assertEquals(2, get.at("/manifest/spec/components/0/traits/0/properties/instances").asInt());
    JsonNode getV1 = request("get.echo", "{\"version\":\"v1\"}");
    assertEquals("v1", getV1.at("/manifest/metadata/annotations/version").asText());
    JsonNode getV9 = request("get.echo", "{\"version\":\"v9\"}");
    assertEquals("notfound", getV9.path("result").asText());
    assertEquals("notfound", request("get.nothing", "").path("result").asText());

    JsonNode versions = request("versions.echo", "");
    assertEquals("success", versions.path("result").asText());
    assertEquals(
        "[{\"version\":\"v1\",\"deployed\":false},{\"version\":\"v2\",\"deployed\":false}]",
        versions.path("versions").toString());

    JsonNode list = request("list", "");
    assertTrue(list.isArray(), list.toString());
    JsonNode summary = find(list, "echo");
    assertEquals("v2", summary.path("version").asText());
    assertEquals("echo app", summary.path("description").asText());
    assertTrue(summary.path("deployed_version").isNull());
    assertEquals("undeployed", summary.path("status").asText());

    JsonNode status = request("status.echo", "");
    assertEquals("ok", status.path("result").asText());
    assertEquals("undeployed", status.at("/status/status/type").asText());

    // deploy v1 explicitly; the status says what is known until the reconciler writes one
    JsonNode deploy = request("deploy.echo", "{\"version\":\"v1\"}");
    assertEquals("acknowledged", deploy.path("result").asText(), deploy.toString());
    assertEquals("Successfully deployed model echo v1", deploy.path("message").asText());
    JsonNode reconciling = request("status.echo", "");
    assertEquals("reconciling", reconciling.at("/status/status/type").asText());
    assertEquals("v1", reconciling.at("/status/version").asText());
    assertTrue(
        reconciling.at("/status/status/message").asText().contains("waiting for reconciler"),
        reconciling.toString());
    assertEquals("v1", find(request("list", ""), "echo").path("deployed_version").asText());

    // the reconciler's status, in wadm's shape with components and traits
    store.putStatus(
        "echo",
        new AppStatus(
            "v1",
            StatusInfo.deployed(""),
            List.of(
                new AppStatus.ComponentStatus(
                    "echo",
                    "actor",
                    StatusInfo.deployed(""),
                    List.of(new AppStatus.TraitStatus("spreadscaler", StatusInfo.deployed(""))))),
            Instant.now(),
            "RECONCILER"));
    JsonNode deployed = request("status.echo", "");
    assertEquals("deployed", deployed.at("/status/status/type").asText(), deployed.toString());
    assertEquals("echo", deployed.at("/status/components/0/name").asText());
    assertEquals("actor", deployed.at("/status/components/0/type").asText());
    assertEquals("spreadscaler", deployed.at("/status/components/0/traits/0/type").asText());
    assertEquals("deployed", deployed.at("/status/components/0/traits/0/status/type").asText());
    // without a leader the status says it may be stale instead of silently lying
    LEADER.set(Optional.empty());
    try {
      JsonNode stale = request("status.echo", "");
      assertEquals("deployed", stale.at("/status/status/type").asText());
      assertTrue(
          stale.at("/status/status/message").asText().contains("no reconciler holds the lease"),
          stale.toString());
    } finally {
      LEADER.set(Optional.of("RECONCILER"));
    }

    // "latest" and an empty body deploy the newest version
    assertEquals(
        "acknowledged", request("deploy.echo", "{\"version\":\"latest\"}").path("result").asText());
    assertEquals("v2", find(request("list", ""), "echo").path("deployed_version").asText());
    JsonNode missing = request("deploy.echo", "{\"version\":\"v7\"}");
    assertEquals("error", missing.path("result").asText());
    assertEquals("notfound", request("deploy.nothing", "").path("result").asText());

    JsonNode undeploy = request("undeploy.echo", "{\"non_destructive\":false}");
    assertEquals("acknowledged", undeploy.path("result").asText());
    assertEquals("Successfully undeployed model echo", undeploy.path("message").asText());
    assertEquals(
        "Model echo was already undeployed", request("undeploy.echo", "").path("message").asText());

    // delete the deployed version: undeploys
    request("deploy.echo", "{\"version\":\"v1\"}");
    JsonNode del = request("del.echo", "{\"version\":\"v1\",\"delete_all\":false}");
    assertEquals("deleted", del.path("result").asText(), del.toString());
    assertTrue(del.path("undeploy").asBoolean());
    assertTrue(find(request("list", ""), "echo").path("deployed_version").isNull());
    JsonNode noop = request("del.echo", "{\"version\":\"v1\",\"delete_all\":false}");
    assertEquals("noop", noop.path("result").asText());
    JsonNode all = request("del.echo", "{\"version\":\"\",\"delete_all\":true}");
    assertEquals("deleted", all.path("result").asText());
    assertEquals("notfound", request("get.echo", "").path("result").asText());
  }

  @Test
  void badRequestsGetWadmsErrorAndTheServerKeepsServing() throws Exception {
    JsonNode bad = request("put", "apiVersion: core.oam.dev/v1beta1\nkind: Thing\n");
    assertEquals("error", bad.path("result").asText());
    assertTrue(
        bad.path("message").asText().startsWith("invalid manifest: 3 problems"), bad.toString());
    assertEquals("kind", bad.at("/problems/0/path").asText());
    assertEquals("metadata", bad.at("/problems/1/path").asText());
    assertEquals("error", request("deploy.x", "{not json").path("result").asText());
    assertEquals("error", request("frobnicate.x", "").path("result").asText());
    assertEquals("error", request("history.x", "").path("result").asText());
    assertEquals("error", request("get", "").path("result").asText(), "get needs a name");
    Message other = nc.request("wadm.api.apitest.other.list", new byte[0]).get();
    assertEquals("error", Json.MAPPER.readTree(other.getData()).path("result").asText());
    // positive control: the same server still stores a good manifest
    assertEquals("created", request("put", manifest("after-errors", "1")).path("result").asText());
  }

  @Test
  void theClientSpeaksTheSameApi() {
    AppsClient client =
        new AppsClient(nc, new ApiSubjects("wadm.api", "apitest"), Duration.ofSeconds(5));
    assertEquals("created", client.put(manifest("client", "1.0.0").getBytes()).result());
    assertEquals("Successfully deployed model client 1.0.0", client.deploy("client", null));
    assertEquals(List.of(new AppsClient.VersionInfo("1.0.0", true)), client.versions("client"));
    AppsApiException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            AppsApiException.class, () -> client.put("kind: x".getBytes()));
    assertFalse(e.problems().isEmpty());
    AppsApiException none =
        org.junit.jupiter.api.Assertions.assertThrows(
            AppsApiException.class,
            () ->
                new AppsClient(nc, new ApiSubjects("wadm.api", "nobody"), Duration.ofSeconds(2))
                    .list());
    assertTrue(none.getMessage().contains("nothing serves the application API"), none.getMessage());
  }

  static JsonNode find(JsonNode list, String name) {
    for (JsonNode n : list) {
      if (n.path("name").asText().equals(name)) {
        return n;
      }
    }
    throw new AssertionError(name + " not in " + list);
  }
}
