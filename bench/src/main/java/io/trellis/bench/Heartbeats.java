package io.trellis.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.trellis.wasmbus.json.Json;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The size in bytes of the latest {@code host_heartbeat} of each host, from the event stream. */
final class Heartbeats {
  final Map<String, Integer> sizes = new ConcurrentHashMap<>();

  Heartbeats(Connection nc) {
    Dispatcher d =
        nc.createDispatcher(
            m -> {
              byte[] data = m.getData();
              try {
                JsonNode e = Json.MAPPER.readTree(data);
                if (e.path("type").asText().endsWith(".host_heartbeat")) {
                  sizes.put(e.path("source").asText(), data.length);
                }
              } catch (IOException ex) {
                // not JSON: not a heartbeat
              }
            });
    d.subscribe("wasmbus.evt.default");
  }

  void clear() {
    sizes.clear();
  }
}
