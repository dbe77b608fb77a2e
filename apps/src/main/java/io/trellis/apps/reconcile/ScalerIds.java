package io.trellis.apps.reconcile;

import io.trellis.apps.Component;
import io.trellis.apps.Trait;

/**
 * Scaler ids, the value of {@code wasmcloud.dev/scaler} (PROTOCOL.md §15.4), shaped like wadm's:
 * {@code {trait}-{app}-{component}-{image}}. The image is part of it, so a new image is a new
 * scaler: its instances start before the old scaler's stop.
 */
final class ScalerIds {
  private ScalerIds() {}

  static String of(Trait.Scaler trait, String app, Component c) {
    return of(trait.type(), app, c.name(), c.image());
  }

  static String of(String traitType, String app, String component, String image) {
    return traitType + "-" + app + "-" + component + "-" + image;
  }
}
