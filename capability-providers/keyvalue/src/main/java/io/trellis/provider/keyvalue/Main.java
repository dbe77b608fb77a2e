package io.trellis.provider.keyvalue;

import io.trellis.provider.sdk.ProviderRunner;

/** Entry point of the provider binary; the host writes HostData to stdin. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    ProviderRunner.run(KeyValueProvider::new, args);
  }
}
