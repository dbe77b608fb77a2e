package io.trellis.provider.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.trellis.provider.sdk.InvalidLinkValueException;
import io.trellis.provider.sdk.LinkValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One actor's messaging settings, with the link value names of wasmCloud's NATS messaging provider
 * (case-insensitive): {@code SUBSCRIPTION} (comma-separated, {@code subject|queue} for a queue
 * group), {@code URI} (comma-separated servers; absent = the provider's lattice connection), {@code
 * CLIENT_JWT} + {@code CLIENT_SEED}, and {@code config_json} (or, without it, {@code config_b64})
 * with {@code {subscriptions, cluster_uris, auth_jwt, auth_seed}}: its subscriptions are added to
 * {@code SUBSCRIPTION}'s, the flat keys override the rest.
 *
 * @param servers empty when the lattice connection is used
 */
public record MessagingSettings(
    List<Subscription> subscriptions,
    List<String> servers,
    @Nullable String jwt,
    @Nullable String seed) {

  /** One subscription; {@code queue} is null for a plain one. */
  public record Subscription(String subject, @Nullable String queue) {
    static Subscription parse(String spec) {
      String s = spec.strip();
      int bar = s.indexOf('|');
      String subject = bar < 0 ? s : s.substring(0, bar).strip();
      String queue = bar < 0 ? null : s.substring(bar + 1).strip();
      if (subject.isEmpty() || subject.contains(" ")) {
        throw new InvalidLinkValueException(
            "SUBSCRIPTION entry '" + spec + "' has no valid subject");
      }
      return new Subscription(subject, queue == null || queue.isEmpty() ? null : queue);
    }
  }

  public boolean usesLatticeConnection() {
    return servers.isEmpty();
  }

  public static MessagingSettings from(Map<String, String> values) {
    LinkValues v = LinkValues.of(values);
    // an empty document when there is none, so every field below reads as absent
    JsonNode json = v.configJson().orElseGet(JsonNodeFactory.instance::objectNode);
    List<Subscription> subs = new ArrayList<>();
    LinkValues.jsonList(json, "subscriptions")
        .orElse(List.of())
        .forEach(s -> subs.add(Subscription.parse(s)));
    v.getList("SUBSCRIPTION").forEach(s -> subs.add(Subscription.parse(s)));
    List<String> servers =
        v.first("URI", "URL")
            .map(LinkValues::splitList)
            .filter(uris -> !uris.isEmpty())
            .or(() -> LinkValues.jsonList(json, "cluster_uris"))
            .orElse(List.of());
    String jwt = v.get("CLIENT_JWT").orElse(text(json, "auth_jwt"));
    String seed = v.get("CLIENT_SEED").orElse(text(json, "auth_seed"));
    if (jwt != null && seed == null) {
      throw new InvalidLinkValueException(
          "CLIENT_JWT is set but CLIENT_SEED is not: a JWT needs its seed");
    }
    List<String> withScheme =
        servers.stream().map(s -> s.contains("://") ? s : "nats://" + s).toList();
    return new MessagingSettings(List.copyOf(subs), withScheme, jwt, seed);
  }

  private static @Nullable String text(JsonNode json, String key) {
    return json.hasNonNull(key) ? json.get(key).asText() : null;
  }

  @Override
  public String toString() {
    // never show the seed
    return "subscriptions="
        + subscriptions
        + " servers="
        + (servers.isEmpty() ? "(lattice)" : servers)
        + (jwt != null ? " auth=jwt" : "");
  }
}
