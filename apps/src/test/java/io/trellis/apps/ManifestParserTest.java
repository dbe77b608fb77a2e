package io.trellis.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestParserTest {
  static final String GOOD =
      """
      apiVersion: core.oam.dev/v1beta1
      kind: Application
      metadata:
        name: kvcounter
        annotations:
          version: v0.1.0
          description: "counter behind HTTP"
      spec:
        components:
          - name: counter
            type: actor
            properties:
              image: file:///tmp/kvcounter.wasm
            traits:
              - type: spreadscaler
                properties:
                  replicas: 3
                  spread:
                    - name: east
                      requirements: { zone: us-east-1 }
                      weight: 66
                    - name: west
                      requirements: { zone: us-west-1 }
                      weight: 34
              - type: linkdef
                properties:
                  target: httpserver
                  values: { address: "0.0.0.0:8080" }
          - name: httpserver
            type: capability
            properties:
              image: file:///tmp/httpserver.par.gz
              contract: wasmcloud:httpserver
            traits:
              - type: daemonscaler
                properties:
                  replicas: 1
                  spread:
                    - name: edge
                      requirements: { ingress: true }
          - name: kv
            type: capability
            properties:
              image: file:///tmp/keyvalue.par.gz
              contract: wasmcloud:keyvalue
              link_name: counters
              config: { bucket: demo }
            traits:
              - type: spreadscaler
                properties: { instances: 1 }
      """;

  static Manifest parse(String text) {
    return ManifestParser.parse(text.getBytes(StandardCharsets.UTF_8), null);
  }

  static List<ManifestProblem> problems(String text) {
    return assertThrows(InvalidManifestException.class, () -> parse(text)).problems();
  }

  @Test
  void readsWadmsFormatFromYaml() {
    Manifest m = parse(GOOD);
    assertEquals("kvcounter", m.name());
    assertEquals("v0.1.0", m.version());
    assertEquals("counter behind HTTP", m.description());
    assertEquals(3, m.components().size());
    Component.Actor counter = assertInstanceOf(Component.Actor.class, m.components().get(0));
    Trait.SpreadScaler s = assertInstanceOf(Trait.SpreadScaler.class, counter.traits().get(0));
    assertEquals(3, s.replicas());
    assertEquals(
        List.of(
            new Spread("east", Map.of("zone", "us-east-1"), 66),
            new Spread("west", Map.of("zone", "us-west-1"), 34)),
        s.spreads());
    assertEquals(
        List.of(new Trait.LinkDef("httpserver", Map.of("address", "0.0.0.0:8080"))),
        counter.links());
    Component.Capability http = m.capabilities().get(0);
    assertEquals("default", http.linkName());
    assertNull(http.config());
    Trait.DaemonScaler d = assertInstanceOf(Trait.DaemonScaler.class, http.traits().get(0));
    assertEquals(Map.of("ingress", "true"), d.spreads().get(0).requirements(), "YAML boolean");
    Component.Capability kv = m.capabilities().get(1);
    assertEquals("counters", kv.linkName());
    assertEquals("{\"bucket\":\"demo\"}", kv.config());
    Trait.SpreadScaler one = assertInstanceOf(Trait.SpreadScaler.class, kv.traits().get(0));
    assertEquals(List.of(Spread.matchingEveryHost()), one.spreads(), "wadm's alias instances");
  }

  @Test
  void readsJsonWithOrWithoutContentType() {
    String json =
        """
        {"apiVersion":"core.oam.dev/v1beta1","kind":"Application",
         "metadata":{"name":"echo","annotations":{"version":"1"}},
         "spec":{"components":[{"name":"echo","type":"actor","properties":{"image":"e.wasm"},
           "traits":[{"type":"spreadscaler","properties":{"replicas":2}}]}]}}
        """;
    assertEquals("echo", parse(json).name());
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    assertEquals("1", ManifestParser.parse(b, "application/json").version());
    assertEquals("1", ManifestParser.parse(b, "application/yaml").version(), "JSON is YAML");
  }

  @Test
  void stringConfigIsPassedAsWritten() {
    Manifest m = parse(GOOD.replace("config: { bucket: demo }", "config: '{\"raw\": \"json\"}'"));
    assertEquals("{\"raw\": \"json\"}", m.capabilities().get(1).config());
  }

  @Test
  void namesEveryProblemAtOnceWithItsPath() {
    String bad =
        """
        apiVersion: core.oam.dev/v1alpha1
        kind: Application
        metadata:
          name: "my app"
          annotations:
            version: latest
        spec:
          components:
            - name: counter
              type: actor
              properties: {}
              traits:
                - type: spreadscaler
                  properties:
                    replicas: three
                    spread:
                      - name: east
                        weight: -1
                      - name: east
                - type: autoscaler
                  properties: {}
                - type: linkdef
                  properties: { target: nowhere }
            - name: counter
              type: capability
              properties:
                image: x.par.gz
            - name: echo
              type: actor
              properties: { image: e.wasm }
              traits:
                - type: linkdef
                  properties: { target: counter }
        """;
    List<String> got = problems(bad).stream().map(ManifestProblem::toString).toList();
    List<String> expected =
        List.of(
            "apiVersion: must be core.oam.dev/v1beta1, got \"core.oam.dev/v1alpha1\"",
            "metadata.name: \"my app\" may contain only letters, digits, '-' and '_'",
            "metadata.annotations.version: \"latest\" is not allowed",
            "spec.components[0].properties.image: is missing",
            "spec.components[0].traits[0].properties.replicas: must be a whole number >= 0",
            "spec.components[0].traits[0].properties.spread[0].weight: must be a whole number",
            "spec.components[0].traits[0].properties.spread[1].name: duplicate spread name",
            "spec.components[0].traits[1].type: unknown trait type \"autoscaler\"",
            "spec.components[1].properties.contract: is missing",
            "spec.components[2].traits[0].properties.target: \"counter\" is an actor",
            "spec.components[0].traits[2].properties.target: \"nowhere\" is not a component");
    for (String e : expected) {
      assertTrue(got.stream().anyMatch(g -> g.startsWith(e)), "missing " + e + " in " + got);
    }
    assertEquals(expected.size(), got.size(), String.join("\n", got));
  }

  @Test
  void duplicateComponentNamesAndProviderSlotsAreRefused() {
    String dup =
        GOOD.replace("- name: kv", "- name: httpserver")
            .replace("image: file:///tmp/keyvalue.par.gz", "image: file:///tmp/httpserver.par.gz")
            .replace("link_name: counters", "link_name: default");
    List<String> got = problems(dup).stream().map(ManifestProblem::toString).toList();
    assertTrue(
        got.stream()
            .anyMatch(
                g ->
                    g.startsWith(
                        "spec.components[2].name: duplicate component name \"httpserver\"")),
        got.toString());
    assertTrue(
        got.stream().anyMatch(g -> g.startsWith("spec.components[2].properties: provider")),
        got.toString());
  }

  @Test
  void schemaShapes() {
    assertEquals(
        "(manifest): must be a mapping with apiVersion, kind, metadata and spec, got a list",
        problems("- a\n- b\n").get(0).toString());
    assertTrue(problems("").get(0).toString().contains("is empty"));
    assertTrue(problems("{ not json").get(0).toString().startsWith("(manifest): is not valid"));
    List<String> missing =
        problems("apiVersion: core.oam.dev/v1beta1\n").stream()
            .map(ManifestProblem::toString)
            .toList();
    assertEquals(List.of("kind: is missing", "metadata: is missing", "spec: is missing"), missing);
    String numericVersion = GOOD.replace("version: v0.1.0", "version: 1.10");
    assertTrue(
        problems(numericVersion).get(0).toString().contains("quote it"),
        "a YAML number would lose its trailing zero");
    String twoScalers =
        GOOD.replace(
            "        - type: linkdef\n          properties:\n            target: httpserver",
            "        - type: daemonscaler\n          properties: { replicas: 1 }\n"
                + "        - type: linkdef\n          properties:\n            target: httpserver");
    assertTrue(
        problems(twoScalers).get(0).message().contains("a second scaler trait"),
        problems(twoScalers).toString());
    String linkOnCapability =
        GOOD.replace(
            "        - type: daemonscaler\n",
            "        - type: linkdef\n          properties: { target: kv }\n"
                + "        - type: daemonscaler\n");
    assertTrue(
        problems(linkOnCapability).toString().contains("linkdef belongs on the actor"),
        problems(linkOnCapability).toString());
  }
}
