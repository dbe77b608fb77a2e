package io.trellis.provider.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.provider.sdk.InvalidLinkValueException;
import io.trellis.provider.sdk.LinkValues;
import io.trellis.wasmbus.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One actor's messaging settings, with the link value names of wasmCloud's NATS messaging
 * provider (case-insensitive): {@code SUBSCRIPTION} (comma-separated, {@code subject|queue} for a
 * queue group), {@code URI} (comma-separated servers; absent = the provider's lattice
 * connection), {@code CLIENT_JWT} + {@code CLIENT_SEED}, and {@code config_json} /
 * {@code config_b64} with {@code {subscriptions, cluster_uris, auth_jwt, auth_seed}}.
 *
 * @param servers empty when the lattice connection is used
 */
public record MessagingSettings(List<Subscription> subscriptions, List<String> servers, String jwt, String seed) {

  /** One subscription; {@code queue} is null for a plain one. */
  public record Subscription(String subject, String queue) {
    static Subscription parse(String spec) {
      String s = spec.strip();
      int bar = s.indexOf('|');
      String subject = bar < 0 ? s : s.substring(0, bar).strip();
      String queue = bar < 0 ? null : s.substring(bar + 1).strip();
      if (subject.isEmpty() || subject.contains(" ")) {
        throw new InvalidLinkValueException("SUBSCRIPTION entry '" + spec + "' has no valid subject");
      }
      return new Subscription(subject, queue == null || queue.isEmpty() ? null : queue);
    }
  }

  public boolean usesLatticeConnection() {
    return servers.isEmpty();
  }

  public static MessagingSettings from(Map<String, String> values) {
    LinkValues v = LinkValues.of(values);
    JsonNode json = json(v);
    List<Subscription> subs = new ArrayList<>();
    List<String> servers = new ArrayList<>();
    String jwt = null;
    String seed = null;
    if (json != null) {
      strings(json.get("subscriptions")).forEach(s -> subs.add(Subscription.parse(s)));
      servers.addAll(strings(json.get("cluster_uris")));
      jwt = json.hasNonNull("auth_jwt") ? json.get("auth_jwt").asText() : null;
      seed = json.hasNonNull("auth_seed") ? json.get("auth_seed").asText() : null;
    }
    v.getList("SUBSCRIPTION").forEach(s -> subs.add(Subscription.parse(s)));
    List<String> uris = v.first("URI", "URL").map(u -> LinkValues.of(Map.of("u", u)).getList("u")).orElse(List.of());
    if (!uris.isEmpty()) {
      servers.clear();
      servers.addAll(uris);
    }
    jwt = v.get("CLIENT_JWT").orElse(jwt);
    seed = v.get("CLIENT_SEED").orElse(seed);
    if (jwt != null && seed == null) {
      throw new InvalidLinkValueException("CLIENT_JWT is set but CLIENT_SEED is not: a JWT needs its seed");
    }
    List<String> withScheme = servers.stream().map(s -> s.contains("://") ? s : "nats://" + s).toList();
    return new MessagingSettings(List.copyOf(subs), withScheme, jwt, seed);
  }

  private static List<String> strings(JsonNode arr) {
    List<String> out = new ArrayList<>();
    if (arr != null && arr.isArray()) {
      arr.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  private static JsonNode json(LinkValues v) {
    String text = null;
    if (v.get("config_b64").isPresent()) {
      try {
        text = new String(Base64.getDecoder().decode(v.get("config_b64").get()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new InvalidLinkValueException("link value config_b64 is not base64: " + e.getMessage());
      }
    } else if (v.get("config_json").isPresent()) {
      text = v.get("config_json").get();
    }
    if (text == null) {
      return null;
    }
    try {
      JsonNode n = Json.MAPPER.readTree(text);
      if (n == null || !n.isObject()) {
        throw new InvalidLinkValueException("messaging config_json/config_b64 must be a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new InvalidLinkValueException("messaging config is not valid JSON: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    // never show the seed
    return "subscriptions=" + subscriptions + " servers=" + (servers.isEmpty() ? "(lattice)" : servers)
        + (jwt != null ? " auth=jwt" : "");
  }
}
