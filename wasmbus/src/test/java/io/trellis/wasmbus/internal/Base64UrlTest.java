package io.trellis.wasmbus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base64UrlTest {
  @Test
  void encodesAsTheJdkDoesAtAnyOffset() {
    Random r = new Random(1);
    Base64.Encoder jdk = Base64.getUrlEncoder().withoutPadding();
    for (int len = 0; len < 300; len++) {
      byte[] src = new byte[len + 3];
      r.nextBytes(src);
      int off = r.nextInt(3);
      byte[] slice = Arrays.copyOfRange(src, off, off + len);
      String expected = jdk.encodeToString(slice);
      assertEquals(expected.length(), Base64Url.encodedLength(len));
      byte[] dst = new byte[expected.length() + 5];
      int end = Base64Url.encode(src, off, len, dst, 2);
      assertEquals(expected.length() + 2, end);
      assertEquals(expected, new String(dst, 2, expected.length(), StandardCharsets.US_ASCII));
    }
  }
}
