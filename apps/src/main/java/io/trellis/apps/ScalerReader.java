package io.trellis.apps;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Reads the properties of {@code spreadscaler} and {@code daemonscaler} traits. */
final class ScalerReader {
  private ScalerReader() {}

  static @Nullable Trait read(
      JsonNode props, String path, String type, List<ManifestProblem> problems) {
    int before = problems.size();
    // wadm's field is "instances" with the alias "replicas"; both are accepted
    JsonNode r = props.has("replicas") ? props.get("replicas") : props.get("instances");
    int replicas = 0;
    if (r == null || r.isNull()) {
      problems.add(new ManifestProblem(path + ".replicas", "is missing"));
    } else if (!r.canConvertToInt() || !r.isIntegralNumber() || r.asInt() < 0) {
      problems.add(
          new ManifestProblem(
              path + ".replicas",
              "must be a whole number >= 0, got " + ManifestValidator.kind(r) + " " + r));
    } else {
      replicas = r.asInt();
    }
    List<Spread> spreads = spreads(props.get("spread"), path + ".spread", problems);
    if (Trait.SPREADSCALER.equals(type)
        && replicas > 0
        && !spreads.isEmpty()
        && spreads.stream().mapToInt(Spread::weight).sum() == 0) {
      problems.add(
          new ManifestProblem(
              path + ".spread",
              "every weight is 0, so no spread can take the " + replicas + " replicas"));
    }
    if (problems.size() > before) {
      return null;
    }
    return Trait.SPREADSCALER.equals(type)
        ? new Trait.SpreadScaler(replicas, spreads)
        : new Trait.DaemonScaler(replicas, spreads);
  }

  private static List<Spread> spreads(
      @Nullable JsonNode list, String path, List<ManifestProblem> problems) {
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      problems.add(
          new ManifestProblem(path, "must be a list, got " + ManifestValidator.kind(list)));
      return List.of();
    }
    List<Spread> out = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String sp = path + "[" + i + "]";
      JsonNode s = list.get(i);
      if (!s.isObject()) {
        problems.add(
            new ManifestProblem(
                sp,
                "must be a mapping with name, requirements and weight, got "
                    + ManifestValidator.kind(s)));
        continue;
      }
      JsonNode name = s.get("name");
      String n = null;
      if (name == null || name.isNull()) {
        problems.add(new ManifestProblem(sp + ".name", "is missing"));
      } else if (!name.isTextual() || name.asText().isBlank()) {
        problems.add(new ManifestProblem(sp + ".name", "must be a non-empty string"));
      } else {
        n = name.asText().strip();
        String first = names.putIfAbsent(n, sp);
        if (first != null) {
          problems.add(
              new ManifestProblem(
                  sp + ".name", "duplicate spread name \"" + n + "\" (also " + first + ")"));
        }
      }
      Map<String, String> req = stringMap(s.get("requirements"), sp + ".requirements", problems);
      JsonNode w = s.get("weight");
      int weight = Spread.DEFAULT_WEIGHT;
      if (w != null && !w.isNull()) {
        if (!w.isIntegralNumber() || !w.canConvertToInt() || w.asInt() < 0) {
          problems.add(
              new ManifestProblem(
                  sp + ".weight",
                  "must be a whole number >= 0, got " + ManifestValidator.kind(w) + " " + w));
        } else {
          weight = w.asInt();
        }
      }
      if (n != null) {
        out.add(new Spread(n, req, weight));
      }
    }
    return out;
  }

  /**
   * A mapping of strings (requirements, link values). Booleans and whole numbers are taken as their
   * text, since YAML reads {@code ingress: true} as a boolean; anything else is a problem.
   */
  static Map<String, String> stringMap(
      @Nullable JsonNode n, String path, List<ManifestProblem> problems) {
    if (n == null || n.isNull()) {
      return Map.of();
    }
    if (!n.isObject()) {
      problems.add(
          new ManifestProblem(
              path, "must be a mapping of strings, got " + ManifestValidator.kind(n)));
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      JsonNode v = e.getValue();
      if (v.isTextual() || v.isBoolean() || v.isIntegralNumber()) {
        out.put(e.getKey(), v.asText());
      } else {
        problems.add(
            new ManifestProblem(
                path + "." + e.getKey(),
                "must be a string, got "
                    + ManifestValidator.kind(v)
                    + " "
                    + v
                    + (v.isNumber() ? " (quote it)" : "")));
      }
    }
    return out;
  }
}
