package io.trellis.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.wasmbus.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks a manifest tree against wadm's format and rules and collects every problem with its path
 * before giving up, so one put tells the user everything that is wrong (PROTOCOL.md §15.1).
 */
final class ManifestValidator {
  /** wadm's {@code ^[-\w]+$}, ASCII only: the name is a NATS subject token and a KV key part. */
  static final Pattern NAME = Pattern.compile("[-A-Za-z0-9_]+");

  private final List<ManifestProblem> problems = new ArrayList<>();

  private ManifestValidator() {}

  static Manifest validate(JsonNode root) {
    return new ManifestValidator().run(root);
  }

  private Manifest run(JsonNode root) {
    if (!root.isObject()) {
      fail(
          "(manifest)",
          "must be a mapping with apiVersion, kind, metadata and spec, got " + kind(root));
      throw new InvalidManifestException(problems);
    }
    String api = text(root, "apiVersion", "apiVersion", true);
    if (api != null && !api.equals(Manifest.API_VERSION)) {
      fail("apiVersion", "must be " + Manifest.API_VERSION + ", got \"" + api + "\"");
    }
    String kind = text(root, "kind", "kind", true);
    if (kind != null && !kind.equals(Manifest.KIND)) {
      fail("kind", "must be " + Manifest.KIND + " (the only kind), got \"" + kind + "\"");
    }
    String name = null;
    String version = null;
    String description = null;
    JsonNode metadata = object(root, "metadata", "metadata", true);
    if (metadata != null) {
      name = text(metadata, "name", "metadata.name", true);
      if (name != null && !NAME.matcher(name).matches()) {
        fail(
            "metadata.name",
            "\""
                + name
                + "\" may contain only letters, digits, '-' and '_'"
                + " (it is a NATS subject token)");
      }
      JsonNode annotations = object(metadata, "annotations", "metadata.annotations", true);
      if (annotations != null) {
        JsonNode v = annotations.get("version");
        // a whole number reads back as written; 1.10 would not, so text() asks to quote it
        version =
            v != null && v.isIntegralNumber()
                ? v.asText()
                : text(annotations, "version", "metadata.annotations.version", true);
        if (version != null && version.equals(Manifest.LATEST)) {
          fail(
              "metadata.annotations.version",
              "\"latest\" is not allowed: versions are"
                  + " immutable, so give this one a real version");
        }
        description = text(annotations, "description", "metadata.annotations.description", false);
      }
    }
    List<Component> components = new ArrayList<>();
    JsonNode spec = object(root, "spec", "spec", true);
    if (spec != null) {
      components = components(spec);
    }
    if (!problems.isEmpty()) {
      throw new InvalidManifestException(problems);
    }
    return new Manifest(name, version, description, components, root);
  }

  private List<Component> components(JsonNode spec) {
    JsonNode list = spec.get("components");
    if (list == null || list.isNull()) {
      fail("spec.components", "is missing: an application needs at least one component");
      return List.of();
    }
    if (!list.isArray()) {
      fail("spec.components", "must be a list, got " + kind(list));
      return List.of();
    }
    if (list.isEmpty()) {
      fail("spec.components", "is empty: an application needs at least one component");
    }
    List<Component> out = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    Map<String, String> actorImages = new HashMap<>();
    Map<String, String> providerSlots = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String path = "spec.components[" + i + "]";
      Component c = component(list.get(i), path);
      if (c == null) {
        continue;
      }
      String first = names.putIfAbsent(c.name(), path);
      if (first != null) {
        fail(path + ".name", "duplicate component name \"" + c.name() + "\" (also " + first + ")");
      }
      if (c instanceof Component.Actor a) {
        String other = actorImages.putIfAbsent(a.image(), path);
        if (other != null) {
          fail(
              path + ".properties.image",
              "duplicate actor image "
                  + a.image()
                  + " (also "
                  + other
                  + "): one component per actor");
        }
      } else if (c instanceof Component.Capability p) {
        String other = providerSlots.putIfAbsent(p.image() + "\n" + p.linkName(), path);
        if (other != null) {
          fail(
              path + ".properties",
              "provider "
                  + p.image()
                  + " with link name \""
                  + p.linkName()
                  + "\" is also "
                  + other
                  + ": a host runs one per link name");
        }
      }
      out.add(c);
    }
    checkLinkTargets(list);
    return out;
  }

  /** Link targets are checked against the raw components, so a broken target is still named. */
  private void checkLinkTargets(JsonNode list) {
    Map<String, String> types = new LinkedHashMap<>();
    for (JsonNode c : list) {
      if (c.path("name").isTextual()) {
        types.putIfAbsent(c.path("name").asText().strip(), c.path("type").asText(""));
      }
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode traits = list.get(i).path("traits");
      for (int t = 0; t < traits.size(); t++) {
        JsonNode trait = traits.get(t);
        if (!Trait.LINKDEF.equals(trait.path("type").asText())) {
          continue;
        }
        JsonNode target = trait.path("properties").path("target");
        if (!target.isTextual() || target.asText().isBlank()) {
          continue; // reported with the trait
        }
        String path = "spec.components[" + i + "].traits[" + t + "].properties.target";
        String type = types.get(target.asText().strip());
        if (type == null) {
          fail(
              path,
              "\""
                  + target.asText()
                  + "\" is not a component of this manifest (known: "
                  + String.join(", ", types.keySet())
                  + ")");
        } else if (!Component.CAPABILITY.equals(type)) {
          fail(path, "\"" + target.asText() + "\" is an actor; a link targets a capability");
        }
      }
    }
  }

  private @Nullable Component component(JsonNode n, String path) {
    if (!n.isObject()) {
      fail(path, "must be a mapping with name, type and properties, got " + kind(n));
      return null;
    }
    String name = text(n, "name", path + ".name", true);
    String type = text(n, "type", path + ".type", true);
    JsonNode props = object(n, "properties", path + ".properties", true);
    String image = props == null ? null : text(props, "image", path + ".properties.image", true);
    List<Trait> traits = traits(n, path, type);
    if (type == null) {
      return null;
    }
    switch (type) {
      case Component.ACTOR -> {
        return name == null || image == null ? null : new Component.Actor(name, image, traits);
      }
      case Component.CAPABILITY -> {
        String contract =
            props == null ? null : text(props, "contract", path + ".properties.contract", true);
        String link =
            props == null ? null : text(props, "link_name", path + ".properties.link_name", false);
        String config = props == null ? null : config(props, path + ".properties.config");
        if (name == null || image == null || contract == null) {
          return null;
        }
        return new Component.Capability(
            name,
            image,
            contract,
            link == null || link.isEmpty() ? "default" : link,
            config,
            traits);
      }
      default -> {
        fail(path + ".type", "must be actor or capability, got \"" + type + "\"");
        return null;
      }
    }
  }

  private @Nullable String config(JsonNode props, String path) {
    JsonNode c = props.get("config");
    if (c == null || c.isNull()) {
      return null;
    }
    if (c.isTextual()) {
      return c.asText();
    }
    if (c.isObject()) {
      return new String(Json.bytes(c), StandardCharsets.UTF_8);
    }
    fail(path, "must be a string or a mapping, got " + kind(c));
    return null;
  }

  private List<Trait> traits(JsonNode component, String path, @Nullable String componentType) {
    JsonNode list = component.get("traits");
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      fail(path + ".traits", "must be a list, got " + kind(list));
      return List.of();
    }
    List<Trait> out = new ArrayList<>();
    String scalerAt = null;
    Set<String> linkTargets = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String tp = path + ".traits[" + i + "]";
      JsonNode t = list.get(i);
      if (!t.isObject()) {
        fail(tp, "must be a mapping with type and properties, got " + kind(t));
        continue;
      }
      String type = text(t, "type", tp + ".type", true);
      JsonNode props = object(t, "properties", tp + ".properties", true);
      if (type == null) {
        continue;
      }
      switch (type) {
        case Trait.SPREADSCALER, Trait.DAEMONSCALER -> {
          if (scalerAt != null) {
            fail(
                tp + ".type",
                "a second scaler trait (the first is "
                    + scalerAt
                    + "); a"
                    + " component has at most one spreadscaler or daemonscaler");
          }
          scalerAt = tp;
          if (props != null) {
            Trait s = ScalerReader.read(props, tp + ".properties", type, problems);
            if (s != null) {
              out.add(s);
            }
          }
        }
        case Trait.LINKDEF -> {
          if (Component.CAPABILITY.equals(componentType)) {
            fail(tp + ".type", "linkdef belongs on the actor component that uses the capability");
          }
          if (props != null) {
            String target = text(props, "target", tp + ".properties.target", true);
            Map<String, String> values =
                ScalerReader.stringMap(props.get("values"), tp + ".properties.values", problems);
            if (target != null) {
              if (!linkTargets.add(target)) {
                fail(tp + ".properties.target", "a second link to \"" + target + "\"");
              }
              out.add(new Trait.LinkDef(target, values));
            }
          }
        }
        default ->
            fail(
                tp + ".type",
                "unknown trait type \"" + type + "\" (known: spreadscaler, daemonscaler, linkdef)");
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ field readers

  private @Nullable JsonNode object(JsonNode parent, String field, String path, boolean required) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      if (required) {
        fail(path, "is missing");
      }
      return null;
    }
    if (!n.isObject()) {
      fail(path, "must be a mapping, got " + kind(n));
      return null;
    }
    return n;
  }

  private @Nullable String text(JsonNode parent, String field, String path, boolean required) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      if (required) {
        fail(path, "is missing");
      }
      return null;
    }
    if (!n.isTextual()) {
      fail(
          path,
          "must be a string, got "
              + kind(n)
              + " "
              + n
              + (n.isNumber() ? " (quote it so that YAML keeps it as written)" : ""));
      return null;
    }
    String s = n.asText().strip();
    if (s.isEmpty() && required) {
      fail(path, "is empty");
      return null;
    }
    return s;
  }

  private void fail(String path, String message) {
    problems.add(new ManifestProblem(path, message));
  }

  static String kind(JsonNode n) {
    if (n.isObject()) {
      return "a mapping";
    }
    if (n.isArray()) {
      return "a list";
    }
    if (n.isTextual()) {
      return "a string";
    }
    if (n.isNumber()) {
      return "a number";
    }
    if (n.isBoolean()) {
      return "a boolean";
    }
    return n.getNodeType().toString().toLowerCase(Locale.ROOT);
  }
}
