package io.trellis.wasmbus.lattice;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Bucket and key names of the lattice metadata store (PROTOCOL.md §9). */
public final class LatticeKeys {
  public static final String LINKDEF_PREFIX = "LINKDEF_";
  public static final String CLAIMS_PREFIX = "CLAIMS_";
  public static final String REFMAP_PREFIX = "REFMAP_";

  private LatticeKeys() {}

  public static String bucket(String latticePrefix) {
    return "LATTICEDATA_" + latticePrefix;
  }

  public static String linkdef(String id) {
    return LINKDEF_PREFIX + id;
  }

  public static String claims(String publicKey) {
    return CLAIMS_PREFIX + publicKey;
  }

  /** {@code REFMAP_} + base64url without padding of the reference. */
  public static String refmap(String imageRef) {
    return REFMAP_PREFIX
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(imageRef.getBytes(StandardCharsets.UTF_8));
  }
}
