package io.trellis.wasmbus;

import java.util.HexFormat;

/** The spec 12.6 byte vectors the host tests use (same values as wasmbus's SpecVectors). */
public final class SpecVectorsHex {
  private SpecVectorsHex() {}

  public static byte[] hex(String h) {
    return HexFormat.of().parseHex(h);
  }

  public static final String ECHO_REQUEST_HEX =
      "85a4626f6479a568656c6c6fa668656164657280a470617468a12fab7175657279537472696e67a0a66d6574686f64a3474554";
  public static final String ECHO_RESPONSE_HEX =
      "83aa737461747573436f6465ccc8a668656164657280a4626f6479c44a7b22626f6479223a5b3130342c3130312c3130382c3130382c3131315d2c226d6574686f64223a22474554222c2270617468223a222f222c2271756572795f737472696e67223a22227d";
  public static final String PINGER_RESPONSE_HEX =
      "83aa737461747573436f6465ccc8a668656164657280a4626f6479c40950696e6720706f6e67";
  public static final String INCREMENT_MSG_HEX = "82a36b6579b0636f756e7465723a3a666f6f3a626172a576616c756503";
  public static final String KVCOUNTER_REQUEST_HEX_NOTE = "GET /foo/bar?amount=3";
}
