package io.trellis.wasmbus.jwt;

import io.trellis.wasmbus.internal.Base64Url;
import io.trellis.wasmbus.nkeys.KeyPair;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The wascap compact JWS: header {@code {"typ":"jwt","alg":"Ed25519"}}, base64url without padding,
 * Ed25519 over the ASCII of the first two segments. Signatures are always checked against the
 * original segment text, never a re-serialisation.
 */
public final class Jwt {
  /** The one header wascap writes; encoded once. */
  public static final String HEADER_JSON = "{\"typ\":\"jwt\",\"alg\":\"Ed25519\"}";

  /**
   * Tolerance for exp/nbf. Hosts on laptops and VMs drift; 30 s absorbs NTP-less drift without
   * meaningfully extending a token's life (docs/DECISIONS.md).
   */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  private static final Base64.Decoder DEC = Base64.getUrlDecoder();
  private static final byte[] HEADER_B64 =
      Base64.getUrlEncoder().withoutPadding().encode(HEADER_JSON.getBytes(StandardCharsets.UTF_8));
  private static final int SIGNATURE_B64_LENGTH = Base64Url.encodedLength(64);

  private Jwt() {}

  /**
   * Signs raw claims JSON with the issuer's seed. The token is assembled in one array: header,
   * claims, the signature over the bytes before it, then one string of it.
   */
  public static String sign(byte[] claimsJson, KeyPair issuer) {
    int signingInput = HEADER_B64.length + 1 + Base64Url.encodedLength(claimsJson.length);
    byte[] token = new byte[signingInput + 1 + SIGNATURE_B64_LENGTH];
    System.arraycopy(HEADER_B64, 0, token, 0, HEADER_B64.length);
    token[HEADER_B64.length] = '.';
    Base64Url.encode(claimsJson, 0, claimsJson.length, token, HEADER_B64.length + 1);
    byte[] signature = issuer.sign(token, 0, signingInput);
    if (signature.length != 64) {
      throw new IllegalStateException("an Ed25519 signature has 64 bytes, got " + signature.length);
    }
    token[signingInput] = '.';
    Base64Url.encode(signature, 0, signature.length, token, signingInput + 1);
    return new String(token, StandardCharsets.ISO_8859_1);
  }

  /** Splits and decodes a token without checking its signature. */
  public static SignedToken decode(String token) {
    if (token == null || token.isBlank()) {
      throw new MalformedTokenException("empty claims token");
    }
    String t = token.strip();
    int d1 = t.indexOf('.');
    int d2 = d1 < 0 ? -1 : t.indexOf('.', d1 + 1);
    if (d1 < 0 || d2 < 0 || t.indexOf('.', d2 + 1) >= 0) {
      throw new MalformedTokenException("claims token is not three '.'-separated segments");
    }
    // one copy of the text; segments are decoded from it in place, and the signature is checked
    // over its first d2 bytes. A character outside Latin-1 becomes '?', which no base64url
    // segment accepts, so nothing outside ASCII can reach the signature check.
    byte[] ascii = t.getBytes(StandardCharsets.ISO_8859_1);
    if (!Arrays.equals(ascii, 0, d1, HEADER_B64, 0, HEADER_B64.length)) {
      checkHeader(new String(segment(ascii, 0, d1, "header"), StandardCharsets.UTF_8));
    }
    byte[] claims = segment(ascii, d1 + 1, d2, "claims");
    byte[] signature = segment(ascii, d2 + 1, ascii.length, "signature");
    return new SignedToken(t, claims, signature, d2, ascii);
  }

  /**
   * Verifies the signature against {@code issuer}.
   *
   * @throws InvalidSignatureException naming the issuer when it does not verify
   */
  public static void verifySignature(SignedToken token, KeyPair issuer) {
    if (!issuer.verify(token.ascii(), 0, token.signingInputLength(), token.signature())) {
      throw new InvalidSignatureException(
          "claims signature does not verify against issuer " + issuer.publicKey());
    }
  }

  /** Applies exp and nbf with {@link #CLOCK_SKEW}. Null means "not set". */
  public static void checkTimes(@Nullable Long expires, @Nullable Long notBefore, Instant now) {
    long nowSec = now.getEpochSecond();
    long skew = CLOCK_SKEW.toSeconds();
    if (expires != null && nowSec > expires + skew) {
      throw new TokenExpiredException(
          "Claims token expired at " + Instant.ofEpochSecond(expires) + " (now " + now + ")");
    }
    if (notBefore != null && nowSec + skew < notBefore) {
      throw new TokenNotYetValidException(
          "Claims token cannot be used yet: not before "
              + Instant.ofEpochSecond(notBefore)
              + " (now "
              + now
              + ")");
    }
  }

  private static byte[] segment(byte[] ascii, int from, int to, String name) {
    try {
      ByteBuffer decoded = DEC.decode(ByteBuffer.wrap(ascii, from, to - from));
      return decoded.remaining() == decoded.capacity() && decoded.arrayOffset() == 0
          ? decoded.array()
          : Arrays.copyOfRange(
              decoded.array(),
              decoded.arrayOffset() + decoded.position(),
              decoded.arrayOffset() + decoded.limit());
    } catch (IllegalArgumentException e) {
      throw new MalformedTokenException(
          "claims token " + name + " segment is not base64url: " + e.getMessage());
    }
  }

  private static void checkHeader(String json) {
    if (json.equals(HEADER_JSON)) {
      return;
    }
    // Other serialisers may reorder or space the header; accept any JSON with the right values.
    String compact = json.replaceAll("\\s", "");
    boolean alg = compact.contains("\"alg\":\"Ed25519\"");
    boolean typ = compact.toLowerCase(Locale.ROOT).contains("\"typ\":\"jwt\"");
    if (!alg || !typ) {
      throw new MalformedTokenException(
          "claims token header must be {\"typ\":\"jwt\",\"alg\":\"Ed25519\"}, got " + json);
    }
  }
}
