package io.trellis.wasmbus.ctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.wasmbus.link.LinkDefinition;
import java.util.Map;
import java.util.Set;

/** Provider commands of PROTOCOL.md §8.3: {@code cmd.{host}.lp|sp}. */
public final class ProviderCommands {
  private ProviderCommands() {}

  /** {@code lp}: start a provider; {@code configuration} becomes HostData's config_json. */
  public record Start(
      String providerRef,
      String linkName,
      String configuration,
      Map<String, String> annotations,
      String hostId) {
    static final Set<String> FIELDS =
        Set.of("provider_ref", "link_name", "configuration", "annotations", "host_id");

    public Start {
      annotations = Map.copyOf(annotations);
    }

    public static Start fromJson(byte[] json) {
      CtlJson j = CtlJson.parse(json, "start provider command", FIELDS);
      return new Start(
          j.requiredString("provider_ref"),
          j.optionalString("link_name", LinkDefinition.DEFAULT_LINK_NAME),
          j.optionalString("configuration", ""),
          j.stringMap("annotations"),
          j.optionalString("host_id", ""));
    }

    public byte[] toJson() {
      ObjectNode o =
          CtlJson.object()
              .put("provider_ref", providerRef)
              .put("link_name", linkName)
              .put("configuration", configuration);
      o.set("annotations", CtlJson.mapNode(annotations));
      return CtlJson.bytes(o.put("host_id", hostId));
    }
  }

  /** {@code sp}: stop a provider by key and link name. */
  public record Stop(
      String providerRef,
      String linkName,
      String contractId,
      Map<String, String> annotations,
      String hostId) {
    static final Set<String> FIELDS =
        Set.of("provider_ref", "link_name", "contract_id", "annotations", "host_id");

    public Stop {
      annotations = Map.copyOf(annotations);
    }

    public static Stop fromJson(byte[] json) {
      CtlJson j = CtlJson.parse(json, "stop provider command", FIELDS);
      String ref = j.requiredString("provider_ref");
      CtlKeys.requireProviderKey(ref, "stop provider command", "provider_ref");
      return new Stop(
          ref,
          j.optionalString("link_name", LinkDefinition.DEFAULT_LINK_NAME),
          j.optionalString("contract_id", ""),
          j.stringMap("annotations"),
          j.optionalString("host_id", ""));
    }

    public byte[] toJson() {
      ObjectNode o =
          CtlJson.object()
              .put("provider_ref", providerRef)
              .put("link_name", linkName)
              .put("contract_id", contractId);
      o.set("annotations", CtlJson.mapNode(annotations));
      return CtlJson.bytes(o.put("host_id", hostId));
    }
  }
}
