package io.trellis.apps;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The annotations that mark what an application started (PROTOCOL.md §15.4), the ones wadm uses:
 * the reconciler counts and stops only instances that carry them, so anything started by hand is
 * never touched.
 */
public final class Ownership {
  public static final String MANAGED_BY = "wasmcloud.dev/managed-by";

  /** wadm's value, kept so that tools which recognise wadm-managed instances recognise ours. */
  public static final String MANAGER = "wadm";

  public static final String APP_SPEC = "wasmcloud.dev/appspec";
  public static final String SCALER = "wasmcloud.dev/scaler";
  public static final String SPREAD_NAME = "wasmcloud.dev/spread_name";

  private Ownership() {}

  /** The annotations that mark everything of an application. */
  public static Map<String, String> ofApp(String app) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(MANAGED_BY, MANAGER);
    m.put(APP_SPEC, app);
    return m;
  }

  /** The annotations of one scaler's instances, in any spread. */
  public static Map<String, String> ofScaler(String app, String scalerId) {
    Map<String, String> m = ofApp(app);
    m.put(SCALER, scalerId);
    return Map.copyOf(m);
  }

  /** The annotations of one scaler's instances in one spread. */
  public static Map<String, String> of(String app, String scalerId, String spread) {
    Map<String, String> m = ofApp(app);
    m.put(SCALER, scalerId);
    m.put(SPREAD_NAME, spread);
    return Map.copyOf(m);
  }

  /** True when the annotations mark the instance as managed for {@code app}. */
  public static boolean isOwnedBy(Map<String, String> annotations, String app) {
    return MANAGER.equals(annotations.get(MANAGED_BY)) && app.equals(annotations.get(APP_SPEC));
  }

  /** The application an instance belongs to, or null when it is not managed. */
  public static @Nullable String appOf(Map<String, String> annotations) {
    return MANAGER.equals(annotations.get(MANAGED_BY)) ? annotations.get(APP_SPEC) : null;
  }
}
