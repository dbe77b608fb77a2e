package io.trellis.cli.ctl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** {@code k=v} arguments (constraints, annotations, link values, labels). */
public final class KeyValues {
  private KeyValues() {}

  /**
   * @param what the option, for errors ("--constraint")
   * @throws ParameterException (exit code 2) for an entry without '=' or with an empty key
   */
  public static Map<String, String> parse(
      CommandLine cl, @Nullable List<String> entries, String what) {
    Map<String, String> out = new LinkedHashMap<>();
    if (entries == null) {
      return out;
    }
    for (String e : entries) {
      int eq = e.indexOf('=');
      if (eq <= 0) {
        throw new ParameterException(cl, what + " '" + e + "' must look like key=value");
      }
      out.put(e.substring(0, eq).strip(), e.substring(eq + 1));
    }
    return out;
  }

  /** "a=1, b=2" (sorted), or "none". */
  public static String show(Map<String, String> m) {
    if (m.isEmpty()) {
      return "none";
    }
    return new TreeMap<>(m)
        .entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(", "));
  }
}
