package io.trellis.wasmbus.claims;

/** An actor module whose claims were verified: signature, times and hash all checked. */
public record SignedModule(Claims<ActorMetadata> claims, String token, String hash) {

  public String publicKey() {
    return claims.subject();
  }

  public ActorMetadata metadata() {
    return claims.metadata();
  }
}
