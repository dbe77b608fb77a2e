package io.trellis.apps;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A component of a manifest: an actor or a capability provider, with its traits. */
public sealed interface Component permits Component.Actor, Component.Capability {
  String ACTOR = "actor";
  String CAPABILITY = "capability";

  String name();

  /** The image reference, passed to hosts as is (an OCI reference, a file path or URL). */
  String image();

  List<Trait> traits();

  /** {@code actor} or {@code capability}, as written in a manifest. */
  String type();

  /** The scaler trait, if the component has one (validation allows at most one). */
  default Optional<Trait.Scaler> scaler() {
    return traits().stream()
        .filter(Trait.Scaler.class::isInstance)
        .map(Trait.Scaler.class::cast)
        .findFirst();
  }

  record Actor(String name, String image, List<Trait> traits) implements Component {
    public Actor {
      traits = List.copyOf(traits);
    }

    @Override
    public String type() {
      return ACTOR;
    }

    public List<Trait.LinkDef> links() {
      return traits.stream()
          .filter(Trait.LinkDef.class::isInstance)
          .map(Trait.LinkDef.class::cast)
          .toList();
    }
  }

  /**
   * A capability provider.
   *
   * @param config the provider's configuration as sent to the host: a string config as written, an
   *     object config as JSON; null when the manifest has none
   */
  record Capability(
      String name,
      String image,
      String contract,
      String linkName,
      @Nullable String config,
      List<Trait> traits)
      implements Component {
    public Capability {
      traits = List.copyOf(traits);
    }

    @Override
    public String type() {
      return CAPABILITY;
    }
  }
}
