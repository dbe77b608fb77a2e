package io.trellis.wasmbus.claims;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.trellis.wasmbus.jwt.MalformedTokenException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The invocation-claims template and direct reader are fast paths only: the template writes the
 * bytes Jackson's generator writes, and the reader returns what the tree parser returns or defers
 * to it (null), never a different answer, for our shape and for thousands of variations of it.
 */
class InvocationClaimsJsonTest {
  private static final String[] AWKWARD = {
    "",
    "plain",
    "with space",
    "quote\"d",
    "back\\slash",
    "tab\tnewline\n",
    "é-utf8",
    "emoji 𝄞",
    "ctl\u0001",
    "del\u007f",
    "slash/ok",
    "wasmbus://wasmcloud/httpserver/default/VABC",
  };

  private static Claims<InvocationMetadata> claims(
      Random r, String target, String origin, Long exp, Long nbf) {
    return new Claims<>(
        r.nextBoolean() ? "jti" + r.nextInt(1000) : AWKWARD[r.nextInt(AWKWARD.length)],
        r.nextInt(3) == 0 ? r.nextLong() : Math.abs(r.nextInt()),
        "CAJYHHGFFWYUGERDPQOBGK4RLQFFUG6X4NZ6CY4OXJOXEVSL5QN3ZH7U",
        r.nextBoolean()
            ? "d2d1b3a6-6f7e-4d7b-9e87-7d0c2f1f6a1e"
            : AWKWARD[r.nextInt(AWKWARD.length)],
        exp,
        nbf,
        new InvocationMetadata(target, origin, "ABCDEF0123456789"),
        r.nextInt(4) == 0 ? null : 3);
  }

  @Test
  void templateWritesWhatTheGeneratorWrites() {
    Random r = new Random(5);
    int templated = 0;
    for (int i = 0; i < 5000; i++) {
      String target = r.nextInt(3) == 0 ? AWKWARD[r.nextInt(AWKWARD.length)] : "wasmbus://MABC/Op";
      String origin = r.nextInt(3) == 0 ? AWKWARD[r.nextInt(AWKWARD.length)] : null;
      if (origin == null && r.nextBoolean()) {
        origin = "wasmbus://wasmcloud/httpserver/default/VXYZ";
      }
      Long exp = r.nextInt(5) == 0 ? (long) r.nextInt() : null;
      Long nbf = r.nextInt(5) == 0 ? (long) r.nextInt() : null;
      Claims<InvocationMetadata> c = claims(r, target, origin, exp, nbf);
      byte[] fast = InvocationClaimsJson.write(c);
      byte[] general = ClaimsCodec.generate(c);
      if (fast != null) {
        templated++;
        assertArrayEquals(general, fast, () -> new String(general, StandardCharsets.UTF_8));
      }
      assertArrayEquals(general, ClaimsCodec.toJson(c));
      // and whatever was written reads back the same through both readers
      Claims<InvocationMetadata> direct = InvocationClaimsJson.read(general);
      if (direct != null) {
        assertEquals(ClaimsCodec.parse(general), direct);
      }
    }
    assertEquals(true, templated > 200, "the template path was exercised: " + templated);
  }

  @Test
  void readerTakesOurShapeWithOptionalTimes() {
    String json =
        "{\"exp\":1700000100,\"jti\":\"j\",\"iat\":1700000000,\"iss\":\"CAB\",\"sub\":\"s\","
            + "\"nbf\":1700000000,\"wascap\":{\"target_url\":\"t\",\"origin_url\":\"o\","
            + "\"hash\":\"H\"},\"wascap_revision\":3}";
    Claims<InvocationMetadata> c = InvocationClaimsJson.read(bytes(json));
    assertNotNull(c);
    assertEquals(ClaimsCodec.parse(bytes(json)), c);
    assertEquals(1700000100L, c.expires());
    assertEquals(1700000000L, c.notBefore());
  }

  /** Mutations of a valid claims document: the direct reader agrees with Jackson or defers. */
  @Test
  void readerNeverDisagreesWithTheTreeParser() {
    String base =
        new String(
            ClaimsCodec.toJson(
                new Claims<>(
                    "NUIDxyz",
                    1700000000,
                    "CAJYHHGFFWYUGERDPQOBGK4RLQFFUG6X4NZ6CY4OXJOXEVSL5QN3ZH7U",
                    "0f0e",
                    null,
                    null,
                    new InvocationMetadata("wasmbus://MA/Op", "wasmbus://a/b/VB", "AB12"),
                    3)),
            StandardCharsets.UTF_8);
    List<String> variants = new ArrayList<>();
    variants.add(base);
    variants.add(base + " ");
    variants.add(base + "x");
    variants.add(" " + base);
    variants.add(base.replace(":", " : "));
    variants.add(base.replace("1700000000", "01700000000"));
    variants.add(base.replace("1700000000", "1700000000.0"));
    variants.add(base.replace("1700000000", "17e8"));
    variants.add(base.replace("1700000000", "-1"));
    variants.add(base.replace("1700000000", "123456789012345678901"));
    variants.add(base.replace("\"iat\":1700000000", "\"iat\":\"1700000000\""));
    variants.add(base.replace(":3}", ":99999999999}"));
    variants.add(base.replace(":3}", ":null}"));
    variants.add(base.replace("NUIDxyz", "NUID\\u0041"));
    variants.add(base.replace("0f0e", ""));
    variants.add(base.replace("CAJY", "CA\\\"JY"));
    variants.add(base.replace("\"jti\":\"NUIDxyz\",", ""));
    variants.add(base.replace("{\"jti\"", "{\"exp\":5,\"jti\""));
    variants.add(base.replace("{\"jti\"", "{\"exp\":null,\"jti\""));
    variants.add(base.replace("\"sub\":\"0f0e\"", "\"sub\":\"0f0e\",\"nbf\":7"));
    variants.add(base.replace("\"sub\":\"0f0e\"", "\"sub\":\"0f0e\",\"sub\":\"other\""));
    variants.add(base.replace("wascap_revision", "wascap_revisio"));
    Random r = new Random(9);
    byte[] b = bytes(base);
    for (int i = 0; i < 20000; i++) {
      byte[] m = b.clone();
      int flips = 1 + r.nextInt(3);
      for (int f = 0; f < flips; f++) {
        m[r.nextInt(m.length)] = (byte) " \"{}:,\\0123456789aeE.-\u00e9x".charAt(r.nextInt(24));
      }
      variants.add(new String(m, StandardCharsets.ISO_8859_1));
    }
    int direct = 0;
    for (String v : variants) {
      byte[] json = v.getBytes(StandardCharsets.ISO_8859_1);
      Claims<InvocationMetadata> fast = InvocationClaimsJson.read(json);
      if (fast == null) {
        continue;
      }
      direct++;
      Claims<InvocationMetadata> general;
      try {
        general = parseGeneral(json);
      } catch (MalformedTokenException e) {
        throw new AssertionError("direct reader accepted what Jackson refuses: " + v, e);
      }
      assertEquals(general, fast, v);
    }
    assertEquals(true, direct > 10, "some variants take the direct path: " + direct);
  }

  @Test
  void anythingElseGoesToTheGeneralPath() {
    assertNull(InvocationClaimsJson.read(bytes("{\"jti\":\"a\"}")));
    assertNull(InvocationClaimsJson.read(bytes("")));
    assertNull(InvocationClaimsJson.read(bytes("[]")));
  }

  @SuppressWarnings("unchecked")
  private static Claims<InvocationMetadata> parseGeneral(byte[] json) {
    Claims<?> c = ClaimsCodec.parse(json);
    if (!(c.metadata() instanceof InvocationMetadata)) {
      throw new MalformedTokenException("not invocation claims");
    }
    return (Claims<InvocationMetadata>) c;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
