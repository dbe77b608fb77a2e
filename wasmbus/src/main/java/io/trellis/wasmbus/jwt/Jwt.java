package io.trellis.wasmbus.jwt;

import io.trellis.wasmbus.nkeys.KeyPair;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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

  private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DEC = Base64.getUrlDecoder();
  private static final String HEADER_B64 =
      ENC.encodeToString(HEADER_JSON.getBytes(StandardCharsets.UTF_8));

  private Jwt() {}

  /** Signs raw claims JSON with the issuer's seed. */
  public static String sign(byte[] claimsJson, KeyPair issuer) {
    String signingInput = HEADER_B64 + "." + ENC.encodeToString(claimsJson);
    byte[] input = signingInput.getBytes(StandardCharsets.US_ASCII);
    return signingInput + "." + ENC.encodeToString(issuer.sign(input));
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
    byte[] header = segment(t.substring(0, d1), "header");
    byte[] claims = segment(t.substring(d1 + 1, d2), "claims");
    byte[] signature = segment(t.substring(d2 + 1), "signature");
    checkHeader(new String(header, StandardCharsets.UTF_8));
    return new SignedToken(t, claims, signature, d2);
  }

  /**
   * Verifies the signature against {@code issuer}.
   *
   * @throws InvalidSignatureException naming the issuer when it does not verify
   */
  public static void verifySignature(SignedToken token, KeyPair issuer) {
    byte[] input =
        token
            .encoded()
            .substring(0, token.signingInputLength())
            .getBytes(StandardCharsets.US_ASCII);
    if (!issuer.verify(input, token.signature())) {
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

  private static byte[] segment(String text, String name) {
    try {
      return DEC.decode(text);
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
