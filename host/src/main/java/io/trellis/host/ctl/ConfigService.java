package io.trellis.host.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.trellis.oci.CredentialMap;
import io.trellis.oci.RegistryCredentials;
import io.trellis.wasmbus.ctl.CtlParseException;
import io.trellis.wasmbus.ctl.HostCommands;
import io.trellis.wasmbus.ctl.HostCommands.RegistryCredential;
import io.trellis.wasmbus.json.Json;
import io.trellis.wasmbus.rpc.NatsRequests;
import io.trellis.wasmbus.rpc.RequestFailure;
import io.trellis.wasmbus.rpc.RequestOutcome;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The config service client (PROTOCOL.md §8.6): before {@code host_started} the host asks {@code
 * wasmbus.cfg.{prefix}.req} with its labels and applies the reply: registry credentials at once,
 * then the auto-start providers and, after them, the auto-start actors in the background. A reply
 * that does not come, or cannot be read, is a warning; the host starts anyway. Entries without
 * their required keys are skipped with a log line naming them.
 */
public final class ConfigService {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigService.class);

  /** How long the host waits for the config service, as OTP. */
  public static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** An {@code autoStartProviders} entry. */
  public record ProviderStart(String imageReference, String linkName) {}

  /**
   * What the config service sent, the unusable entries already dropped.
   *
   * @param providers {@code autoStartProviders}
   * @param actors {@code autoStartActors}
   * @param credentials {@code registryCredentials}, keyed by registry server
   */
  public record Supplement(
      List<ProviderStart> providers,
      List<String> actors,
      Map<String, RegistryCredential> credentials) {
    public Supplement {
      providers = List.copyOf(providers);
      actors = List.copyOf(actors);
      credentials = Map.copyOf(credentials);
    }
  }

  /** What came of asking the config service. */
  public sealed interface Answer {
    /** A readable reply, its unusable entries dropped. */
    record Supplied(Supplement supplement) implements Answer {}

    /**
     * No usable reply; the host starts without supplemental configuration.
     *
     * @param why what went wrong, for the warning
     */
    record Unavailable(String why) implements Answer {}
  }

  private ConfigService() {}

  public static String subject(String lattice) {
    return "wasmbus.cfg." + lattice + ".req";
  }

  /**
   * Asks the config service, applies its registry credentials to {@code fetcher} and returns what
   * starts the auto-start list on a virtual thread (a no-op when there is nothing to start).
   */
  public static Runnable load(
      Connection ctl,
      String lattice,
      Map<String, String> labels,
      ControlledHost host,
      ArtifactFetcher fetcher) {
    String subject = subject(lattice);
    Supplement supplement;
    switch (request(ctl, lattice, labels, TIMEOUT)) {
      case Answer.Unavailable u -> {
        LOG.warn(
            "config service on {}: {}; starting without supplemental configuration",
            subject,
            u.why());
        return () -> {};
      }
      case Answer.Supplied s -> supplement = s.supplement();
    }
    CredentialMap creds = new CredentialMap();
    Map<String, RegistryCredentials> converted = new LinkedHashMap<>();
    supplement
        .credentials()
        .forEach(
            (registry, c) ->
                converted.put(
                    registry, new RegistryCredentials(c.username(), c.password(), c.token())));
    creds.putAll(converted);
    fetcher.useConfigServiceCredentials(creds);
    LOG.info(
        "config service: {} provider(s) and {} actor(s) to start, credentials for {} registr{}",
        supplement.providers().size(),
        supplement.actors().size(),
        converted.size(),
        converted.size() == 1 ? "y" : "ies");
    if (supplement.providers().isEmpty() && supplement.actors().isEmpty()) {
      return () -> {};
    }
    ArtifactStarts starts = new ArtifactStarts(host, fetcher);
    return () ->
        Thread.ofVirtual()
            .name("trellis-config-service-starts")
            .start(() -> startAll(supplement, starts));
  }

  /** Providers first, then actors, one after the other (as OTP). */
  private static void startAll(Supplement s, ArtifactStarts starts) {
    for (ProviderStart p : s.providers()) {
      starts.provider(p.imageReference(), p.linkName(), "", Map.of());
    }
    for (String ref : s.actors()) {
      starts.actor(ref, 1, Map.of());
    }
  }

  /** Sends the request and reads the reply; never throws. */
  static Answer request(
      Connection ctl, String lattice, Map<String, String> labels, Duration timeout) {
    String subject = subject(lattice);
    byte[] body =
        Json.bytes(Json.MAPPER.createObjectNode().set("labels", Json.MAPPER.valueToTree(labels)));
    RequestOutcome outcome = NatsRequests.request(ctl, subject, body, timeout);
    return switch (outcome) {
      case RequestOutcome.Replied r -> {
        try {
          yield new Answer.Supplied(parse(r.message().getData()));
        } catch (IllegalArgumentException e) {
          yield new Answer.Unavailable("unusable reply: " + e.getMessage());
        }
      }
      case RequestFailure.NoResponders n ->
          new Answer.Unavailable("no responders (is a config service listening?)");
      case RequestFailure.TimedOut t ->
          new Answer.Unavailable("no reply within " + timeout.toMillis() + " ms");
      case RequestFailure.ConnectionLost l ->
          new Answer.Unavailable("the NATS connection is " + l.describe());
      case RequestFailure.Cancelled c -> new Answer.Unavailable("interrupted");
      case RequestFailure.Failed f -> new Answer.Unavailable(f.message());
      case RequestFailure.BadReply b -> new Answer.Unavailable("unusable reply: " + b.message());
    };
  }

  /**
   * Reads a reply; every key is optional. Entries that lack what they need are skipped with a log
   * line naming them.
   *
   * @throws IllegalArgumentException when the reply is not a JSON object
   */
  static Supplement parse(byte @Nullable [] body) {
    JsonNode n;
    try {
      n = body == null || body.length == 0 ? null : Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "not JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException(
          n == null ? "the body is empty" : "expected a JSON object, got " + n.getNodeType());
    }
    return new Supplement(
        providers(n.get("autoStartProviders")),
        actors(n.get("autoStartActors")),
        credentials(n.get("registryCredentials")));
  }

  private static List<ProviderStart> providers(@Nullable JsonNode list) {
    List<ProviderStart> out = new ArrayList<>();
    if (!isList(list, "autoStartProviders")) {
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode e = list.get(i);
      String ref = text(e, "imageReference");
      String link = text(e, "linkName");
      if (ref == null || link == null) {
        LOG.warn(
            "config service: skipping autoStartProviders[{}] {}: it needs a string imageReference and linkName",
            i,
            e);
      } else {
        out.add(new ProviderStart(ref, link));
      }
    }
    return out;
  }

  private static List<String> actors(@Nullable JsonNode list) {
    List<String> out = new ArrayList<>();
    if (!isList(list, "autoStartActors")) {
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode e = list.get(i);
      if (e.isTextual() && !e.asText().isBlank()) {
        out.add(e.asText().strip());
      } else {
        LOG.warn("config service: skipping autoStartActors[{}] {}: not a reference string", i, e);
      }
    }
    return out;
  }

  private static Map<String, RegistryCredential> credentials(@Nullable JsonNode creds) {
    if (creds == null || creds.isNull()) {
      return Map.of();
    }
    try {
      HostCommands.RegistriesPut put = HostCommands.registries(Json.bytes(creds));
      if (!put.dropped().isEmpty()) {
        LOG.warn("config service: skipping registryCredentials {}", put.describeDropped());
      }
      return put.credentials();
    } catch (CtlParseException e) {
      LOG.warn(
          "config service: skipping registryCredentials: not an object ({})", creds.getNodeType());
      return Map.of();
    }
  }

  private static boolean isList(@Nullable JsonNode n, String key) {
    if (n == null || n.isNull()) {
      return false;
    }
    if (!n.isArray()) {
      LOG.warn("config service: skipping {}: expected a list, got {}", key, n);
      return false;
    }
    return true;
  }

  private static @Nullable String text(JsonNode o, String key) {
    JsonNode v = o.get(key);
    return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText().strip() : null;
  }
}
