package io.trellis.wasmbus.rpc;

import io.trellis.wasmbus.claims.Claims;
import io.trellis.wasmbus.claims.ClaimsCodec;
import io.trellis.wasmbus.claims.InvocationMetadata;
import io.trellis.wasmbus.jwt.InvalidSignatureException;
import io.trellis.wasmbus.jwt.Jwt;
import io.trellis.wasmbus.jwt.SignedToken;
import io.trellis.wasmbus.jwt.TokenException;
import io.trellis.wasmbus.jwt.TokenExpiredException;
import io.trellis.wasmbus.jwt.TokenNotYetValidException;
import io.trellis.wasmbus.nkeys.InvalidKeyException;
import io.trellis.wasmbus.nkeys.KeyPair;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The receiver's checks of PROTOCOL.md §4.5, in the OTP order. Split in two so that an
 * unauthenticated chunked invocation never makes us fetch from the object store: {@link
 * #verifyClaims} first, then {@link #verifyHash} over the full (de-chunked) payload.
 */
public final class InvocationValidator {
  private final Map<String, KeyPair> issuers;
  private final Clock clock;

  public InvocationValidator(Collection<String> clusterIssuers, Clock clock) {
    Map<String, KeyPair> m = new LinkedHashMap<>();
    for (String issuer : clusterIssuers) {
      m.put(issuer, KeyPair.fromPublicKey(issuer));
    }
    this.issuers = Map.copyOf(m);
    this.clock = clock;
  }

  public InvocationValidator(Collection<String> clusterIssuers) {
    this(clusterIssuers, Clock.systemUTC());
  }

  /** Decodes bytes into an invocation, or rejects them as malformed. */
  public static Invocation decode(byte[] bytes) {
    try {
      return InvocationCodec.decodeInvocation(bytes);
    } catch (RuntimeException e) {
      throw new MalformedInvocationException("Failed to deserialize invocation: " + e.getMessage());
    }
  }

  /** Token, host id, issuer and URL checks (PROTOCOL.md §4.5 steps 2 and 4-6). */
  public Claims<InvocationMetadata> verifyClaims(Invocation inv) {
    Claims<InvocationMetadata> claims;
    KeyPair issuer;
    try {
      SignedToken token = Jwt.decode(inv.encodedClaims());
      claims = ClaimsCodec.parseInvocation(token.claimsJson());
      issuer = issuers.get(claims.issuer());
      if (issuer == null) {
        issuer = KeyPair.fromPublicKey(claims.issuer());
      }
      Jwt.verifySignature(token, issuer);
      Jwt.checkTimes(claims.expires(), claims.notBefore(), clock.instant());
    } catch (InvalidSignatureException e) {
      throw new AntiForgeryException(
          "Anti-forgery check failed: Invocation claims signature invalid"
              + " ("
              + e.getMessage()
              + ")");
    } catch (TokenExpiredException e) {
      throw new AntiForgeryException(
          "Anti-forgery check failed: Invocation claims token expired (" + e.getMessage() + ")");
    } catch (TokenNotYetValidException e) {
      throw new AntiForgeryException(
          "Anti-forgery check failed: Attempt to use invocation before"
              + " claims token allows ("
              + e.getMessage()
              + ")");
    } catch (TokenException | InvalidKeyException e) {
      throw new AntiForgeryException("Anti-forgery check failed: " + e.getMessage());
    }
    if (!inv.id().equals(claims.subject())) {
      // The signed subject is the invocation id; without this check a captured token could be
      // replayed under fresh ids (and fresh chunk object names).
      throw new AntiForgeryException(
          "Anti-forgery check failed: invocation id '"
              + inv.id()
              + "' does not match the signed claims subject '"
              + claims.subject()
              + "'");
    }
    String hostId = inv.hostId();
    if (!hostId.startsWith("N") && hostId.length() != 56) {
      throw new InvalidHostIdException("Invalid host ID on invocation: '" + hostId + "'");
    }
    if (!issuers.containsKey(claims.issuer())) {
      throw new UnknownIssuerException(
          "Issuer of this invocation is not among the list of valid"
              + " issuers: "
              + claims.issuer()
              + " is not one of "
              + issuers.keySet());
    }
    InvocationMetadata meta = claims.metadata();
    String targetUrl = inv.target().url() + "/" + inv.operation();
    if (!targetUrl.equals(meta.targetUrl())) {
      throw new InvocationTargetMismatchException(
          "Invocation claims and invocation target URL do"
              + " not match (signed "
              + meta.targetUrl()
              + ", invocation "
              + targetUrl
              + ")");
    }
    String originUrl = inv.origin().url();
    if (!originUrl.equals(meta.originUrl())) {
      throw new InvocationOriginMismatchException(
          "Invocation claims and invocation origin URL do"
              + " not match (signed "
              + meta.originUrl()
              + ", invocation "
              + originUrl
              + ")");
    }
    return claims;
  }

  /**
   * PROTOCOL.md §4.5 step 3, always applied to the full payload (after de-chunking). Call it after
   * {@link #verifyClaims}, which has proved the signed URLs equal the invocation's, so they are
   * hashed as signed instead of being rebuilt.
   */
  public static void verifyHash(Invocation inv, byte[] fullMsg, InvocationMetadata meta) {
    String originUrl = meta.originUrl();
    String targetUrl = meta.targetUrl();
    if (originUrl == null || targetUrl == null) {
      throw new InvocationHashMismatchException(
          "Invocation claims carry no origin or target URL to hash (origin "
              + originUrl
              + ", target "
              + targetUrl
              + ")");
    }
    String computed = InvocationSigner.hash(originUrl, targetUrl, inv.operation(), fullMsg);
    if (!computed.equals(meta.hash())) {
      throw new InvocationHashMismatchException(
          "Invocation hash does not match signed claims hash ("
              + meta.hash()
              + " / "
              + computed
              + ")");
    }
  }

  /** All checks for an unchunked invocation addressed to {@code expectedTarget}. */
  public Claims<InvocationMetadata> verify(Invocation inv, String expectedTarget) {
    Claims<InvocationMetadata> claims = verifyClaims(inv);
    verifyHash(inv, inv.msg(), claims.metadata());
    requireTarget(inv, expectedTarget);
    return claims;
  }

  public static void requireTarget(Invocation inv, String expectedTarget) {
    if (!inv.target().publicKey().equals(expectedTarget)) {
      throw new InvocationTargetMismatchException(
          "Invocation is addressed to "
              + inv.target().publicKey()
              + " but was received by "
              + expectedTarget);
    }
  }
}
