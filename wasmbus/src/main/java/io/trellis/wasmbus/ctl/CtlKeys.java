package io.trellis.wasmbus.ctl;

import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;

/** Key-type checks for command fields, with errors that say which field held what. */
public final class CtlKeys {
  private CtlKeys() {}

  public static void requireActorKey(String value, String what, String field) {
    require(value, KeyType.MODULE, what, field, "an actor public key (M..., 56 characters)");
  }

  public static void requireProviderKey(String value, String what, String field) {
    require(value, KeyType.SERVICE, what, field, "a provider public key (V..., 56 characters)");
  }

  private static void require(
      String value, KeyType type, String what, String field, String expected) {
    if (!KeyPair.isValidPublicKey(value, type)) {
      throw new CtlParseException(
          "invalid " + what + ": '" + field + "' must be " + expected + ", got '" + value + "'");
    }
  }
}
