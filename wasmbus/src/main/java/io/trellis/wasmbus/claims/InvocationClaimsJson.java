package io.trellis.wasmbus.claims;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The claims of an invocation token (PROTOCOL.md §4.4) without a JSON tree: a template writes the
 * one shape signers produce, and a direct reader takes exactly that shape apart.
 *
 * <p>Both are fast paths of {@link ClaimsCodec}: the writer handles strings of printable ASCII
 * without quotes or backslashes (every key, URL, id and hash the protocol has) and the reader
 * accepts only {@code {"exp"?,"jti","iat","iss","sub","nbf"?,"wascap":{"target_url","origin_url",
 * "hash"},"wascap_revision"}} in that order, without whitespace, escapes or non-ASCII bytes, with
 * canonical integers. Anything else returns null and goes to Jackson, so tokens from other senders
 * are read exactly as before, and the reader never accepts what the general path would refuse or
 * read differently.
 */
final class InvocationClaimsJson {
  private static final byte[] JTI = ascii("{\"jti\":\"");
  private static final byte[] IAT = ascii("\",\"iat\":");
  private static final byte[] ISS = ascii(",\"iss\":\"");
  private static final byte[] SUB = ascii("\",\"sub\":\"");
  private static final byte[] TARGET = ascii("\",\"wascap\":{\"target_url\":\"");
  private static final byte[] ORIGIN = ascii("\",\"origin_url\":\"");
  private static final byte[] HASH = ascii("\",\"hash\":\"");
  private static final byte[] REVISION = ascii("\"},\"wascap_revision\":");
  private static final byte[] END = ascii("}");

  // reader pieces: the same keys, with optional exp and nbf around them
  private static final byte[] OPEN_EXP = ascii("{\"exp\":");
  private static final byte[] EXP_JTI = ascii(",\"jti\":\"");
  private static final byte[] SUB_NBF = ascii("\",\"nbf\":");
  private static final byte[] NBF_WASCAP = ascii(",\"wascap\":{\"target_url\":\"");

  private InvocationClaimsJson() {}

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** True when {@code s} can be written between quotes as is: printable ASCII, no " or \. */
  private static boolean plain(@Nullable String s) {
    if (s == null) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /**
   * The JSON {@link ClaimsCodec#toJson} writes for invocation claims without exp and nbf and with
   * revision 3, or null when a value needs escaping (then the caller uses {@code toJson}).
   */
  static byte @Nullable [] write(Claims<InvocationMetadata> c) {
    InvocationMetadata m = c.metadata();
    if (c.expires() != null
        || c.notBefore() != null
        || c.wascapRevision() == null
        || !plain(c.jti())
        || !plain(c.issuer())
        || !plain(c.subject())
        || !plain(m.targetUrl())
        || !plain(m.originUrl())
        || !plain(m.hash())) {
      return null;
    }
    String iat = Long.toString(c.issuedAt());
    String rev = Integer.toString(c.wascapRevision());
    int size =
        JTI.length
            + c.jti().length()
            + IAT.length
            + iat.length()
            + ISS.length
            + c.issuer().length()
            + SUB.length
            + c.subject().length()
            + TARGET.length
            + m.targetUrl().length()
            + ORIGIN.length
            + m.originUrl().length()
            + HASH.length
            + m.hash().length()
            + REVISION.length
            + rev.length()
            + END.length;
    byte[] out = new byte[size];
    int p = 0;
    p = put(out, p, JTI);
    p = put(out, p, c.jti());
    p = put(out, p, IAT);
    p = put(out, p, iat);
    p = put(out, p, ISS);
    p = put(out, p, c.issuer());
    p = put(out, p, SUB);
    p = put(out, p, c.subject());
    p = put(out, p, TARGET);
    p = put(out, p, m.targetUrl());
    p = put(out, p, ORIGIN);
    p = put(out, p, m.originUrl());
    p = put(out, p, HASH);
    p = put(out, p, m.hash());
    p = put(out, p, REVISION);
    p = put(out, p, rev);
    put(out, p, END);
    return out;
  }

  private static int put(byte[] out, int p, byte[] bytes) {
    System.arraycopy(bytes, 0, out, p, bytes.length);
    return p + bytes.length;
  }

  private static int put(byte[] out, int p, String ascii) {
    int n = ascii.length();
    for (int i = 0; i < n; i++) {
      out[p + i] = (byte) ascii.charAt(i);
    }
    return p + n;
  }

  /** The claims when {@code json} has exactly the shape above; null sends it to Jackson. */
  static @Nullable Claims<InvocationMetadata> read(byte[] json) {
    Cursor c = new Cursor(json);
    Long exp = null;
    if (c.skip(OPEN_EXP)) {
      exp = c.number();
      if (exp == null || !c.skip(EXP_JTI)) {
        return null;
      }
    } else if (!c.skip(JTI)) {
      return null;
    }
    String jti = c.string();
    if (jti == null || !c.skip(IAT)) {
      return null;
    }
    Long iat = c.number();
    if (iat == null || !c.skip(ISS)) {
      return null;
    }
    String iss = c.string();
    if (iss == null || iss.isEmpty() || !c.skip(SUB)) {
      return null;
    }
    String sub = c.string();
    if (sub == null || sub.isEmpty()) {
      return null;
    }
    Long nbf = null;
    if (c.skip(SUB_NBF)) {
      nbf = c.number();
      if (nbf == null || !c.skip(NBF_WASCAP)) {
        return null;
      }
    } else if (!c.skip(TARGET)) {
      return null;
    }
    String target = c.string();
    if (target == null || !c.skip(ORIGIN)) {
      return null;
    }
    String origin = c.string();
    if (origin == null || !c.skip(HASH)) {
      return null;
    }
    String hash = c.string();
    if (hash == null || !c.skip(REVISION)) {
      return null;
    }
    Long rev = c.number();
    if (rev == null || rev > Integer.MAX_VALUE || !c.skip(END) || !c.atEnd()) {
      return null;
    }
    return new Claims<>(
        jti,
        iat,
        iss,
        sub,
        exp,
        nbf,
        new InvocationMetadata(target, origin, hash),
        (int) (long) rev);
  }

  /** A position in the JSON; every method answers null/false instead of throwing. */
  private static final class Cursor {
    private final byte[] in;
    private int pos;

    Cursor(byte[] in) {
      this.in = in;
    }

    boolean skip(byte[] expected) {
      int end = pos + expected.length;
      if (end > in.length) {
        return false;
      }
      for (int i = 0; i < expected.length; i++) {
        if (in[pos + i] != expected[i]) {
          return false;
        }
      }
      pos = end;
      return true;
    }

    /** Printable ASCII up to the next quote (left for the following piece to match). */
    @Nullable String string() {
      int start = pos;
      while (pos < in.length) {
        byte b = in[pos];
        if (b == '"') {
          return new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
        }
        if (b < 0x20 || b > 0x7e || b == '\\') {
          return null;
        }
        pos++;
      }
      return null;
    }

    /** A canonical non-negative integer of at most 18 digits, so it always fits a long. */
    @Nullable Long number() {
      int start = pos;
      long v = 0;
      while (pos < in.length && in[pos] >= '0' && in[pos] <= '9' && pos - start < 18) {
        v = v * 10 + (in[pos] - '0');
        pos++;
      }
      int digits = pos - start;
      if (digits == 0 || (digits > 1 && in[start] == '0')) {
        return null;
      }
      if (pos < in.length
          && (in[pos] >= '0' && in[pos] <= '9'
              || in[pos] == '.'
              || in[pos] == 'e'
              || in[pos] == 'E')) {
        return null; // longer, fractional or exponent: Jackson decides
      }
      return v;
    }

    boolean atEnd() {
      return pos == in.length;
    }
  }
}
