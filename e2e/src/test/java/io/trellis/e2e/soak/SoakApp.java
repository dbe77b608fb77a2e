package io.trellis.e2e.soak;

import java.nio.file.Path;

/**
 * The soak's application manifest (wadm format, deployed through the apps API): echo, kvcounter and
 * pinger behind the httpserver provider on the ingress host, ponger for pinger's actor-to-actor
 * call, subscriber answering messaging requests, keyvalue and messaging providers anywhere.
 * Versions change echo's replica count (the scale fault) and kvcounter's revision (the app-upgrade
 * fault).
 */
record SoakApp(Path root, int echoPort, int counterPort, int pingerPort, String subject) {
  static final String NAME = "soak";
  static final String BUCKET = "soak_counters";

  /** kvcounter as built, before any app-upgrade fault. */
  String counterImage() {
    return actor("kvcounter");
  }

  String manifest(String version, int echoReplicas, String counterImage) {
    return """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: %s
          annotations:
            version: %s
        spec:
          components:
            - name: echo
              type: actor
              properties: { image: %s }
              traits:
                - type: spreadscaler
                  properties: { replicas: %d }
                - type: linkdef
                  properties:
                    target: httpserver
                    values: { ADDRESS: "127.0.0.1:%d", timeout_ms: "3000" }
            - name: counter
              type: actor
              properties: { image: %s }
              traits:
                - type: spreadscaler
                  properties: { replicas: 3 }
                - type: linkdef
                  properties:
                    target: httpserver
                    values: { ADDRESS: "127.0.0.1:%d", timeout_ms: "3000" }
                - type: linkdef
                  properties:
                    target: keyvalue
                    values: { bucket: %s }
            - name: pinger
              type: actor
              properties: { image: %s }
              traits:
                - type: spreadscaler
                  properties: { replicas: 2 }
                - type: linkdef
                  properties:
                    target: httpserver
                    values: { ADDRESS: "127.0.0.1:%d", timeout_ms: "3000" }
            - name: ponger
              type: actor
              properties: { image: %s }
              traits:
                - type: spreadscaler
                  properties: { replicas: 2 }
            - name: subscriber
              type: actor
              properties: { image: %s }
              traits:
                - type: spreadscaler
                  properties: { replicas: 2 }
                - type: linkdef
                  properties:
                    target: messaging
                    values: { SUBSCRIPTION: "%s" }
            - name: httpserver
              type: capability
              properties: { image: %s, contract: "wasmcloud:httpserver" }
              traits:
                - type: daemonscaler
                  properties:
                    replicas: 1
                    spread:
                      - name: ingress
                        requirements: { ingress: "true" }
            - name: keyvalue
              type: capability
              properties: { image: %s, contract: "wasmcloud:keyvalue" }
              traits:
                - type: spreadscaler
                  properties: { replicas: 1 }
            - name: messaging
              type: capability
              properties: { image: %s, contract: "wasmcloud:messaging" }
              traits:
                - type: spreadscaler
                  properties: { replicas: 1 }
        """
        .formatted(
            NAME,
            version,
            actor("echo"),
            echoReplicas,
            echoPort,
            counterImage,
            counterPort,
            BUCKET,
            actor("pinger"),
            pingerPort,
            actor("ponger"),
            actor("subscriber"),
            subject,
            par("httpserver"),
            par("keyvalue"),
            par("messaging"));
  }

  private String actor(String name) {
    return root.resolve("actors-samples/dist/" + name + ".wasm").toUri().toString();
  }

  private String par(String name) {
    return root.resolve("capability-providers/dist/" + name + ".par.gz").toUri().toString();
  }
}
