package io.trellis.wasmbus.rpc;

import java.util.Locale;

/**
 * An invocation endpoint (PROTOCOL.md §4.2): an actor ({@code M...}, empty contract and link) or a
 * provider ({@code V...} with contract id and link name).
 */
public record WasmCloudEntity(String publicKey, String contractId, String linkName) {

  public WasmCloudEntity {
    publicKey = publicKey == null ? "" : publicKey;
    contractId = contractId == null ? "" : contractId;
    linkName = linkName == null ? "" : linkName;
  }

  public static WasmCloudEntity actor(String publicKey) {
    return new WasmCloudEntity(publicKey, "", "");
  }

  public static WasmCloudEntity provider(String publicKey, String contractId, String linkName) {
    return new WasmCloudEntity(publicKey, contractId, linkName);
  }

  public boolean isActor() {
    return !publicKey.isEmpty() && Character.toUpperCase(publicKey.charAt(0)) == 'M';
  }

  /** True when the origin names no contract and no link: an actor or a tool such as `call`. */
  public boolean hasNoContract() {
    return contractId.isEmpty() && linkName.isEmpty();
  }

  /** The bus URL used only for signing and verifying invocations. */
  public String url() {
    if (isActor()) {
      return "wasmbus://" + publicKey;
    }
    String contract = contractId.replace(':', '/').replace(' ', '_').toLowerCase(Locale.ROOT);
    String link = linkName.replace(' ', '_').toLowerCase(Locale.ROOT);
    return "wasmbus://" + contract + "/" + link + "/" + publicKey;
  }
}
