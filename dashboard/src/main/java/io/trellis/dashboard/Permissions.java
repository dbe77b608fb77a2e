package io.trellis.dashboard;

import java.util.List;

/**
 * What one NATS user may do: the subjects it may publish to and subscribe to (NATS wildcards
 * allowed). Everything else is refused by the server.
 */
public record Permissions(List<String> publish, List<String> subscribe) {
  public Permissions {
    publish = List.copyOf(publish);
    subscribe = List.copyOf(subscribe);
  }
}
