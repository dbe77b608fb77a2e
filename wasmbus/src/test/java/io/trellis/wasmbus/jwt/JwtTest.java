package io.trellis.wasmbus.jwt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.wasmbus.SpecVectors;
import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.Claims;
import io.trellis.wasmbus.claims.ClaimsCodec;
import io.trellis.wasmbus.claims.InvocationMetadata;
import io.trellis.wasmbus.claims.ProviderMetadata;
import io.trellis.wasmbus.nkeys.KeyPair;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JwtTest {

  @Test
  void echoUnprivTokenVerifiesAndParses() {
    SignedToken t = Jwt.decode(SpecVectors.ECHO_UNPRIV_TOKEN);
    Claims<ActorMetadata> c = ClaimsCodec.parseActor(t.claimsJson());
    assertEquals("ADYDCRUIFKCUZFVHZFBVZCPBR6HAT2U63VSVD2BBIWGM62KMJL5RR5YM", c.issuer());
    assertEquals("MCRACEYKJLCP7NLVMUTO2SCQ26JFL3Z4TBIXPXDE7KPBI2GEH5DA57L5", c.subject());
    assertEquals(
        "AB107F5C2239D84980CC217FF31B286D158029D15E524D7FB266D289CED4462E", c.metadata().hash());
    assertEquals(List.of(""), c.metadata().caps(), "caps is [\"\"], not []");
    assertEquals(4, c.metadata().rev());
    assertEquals("0.3.3", c.metadata().ver());
    assertEquals(1642791045L, c.issuedAt());
    assertNull(c.wascapRevision());
    assertNull(c.expires());
    Jwt.verifySignature(t, KeyPair.fromPublicKey(c.issuer()));
  }

  @Test
  void reSigningTheEchoUnprivClaimsReproducesItsSignature() {
    String[] parts = SpecVectors.ECHO_UNPRIV_TOKEN.split("\\.");
    byte[] claimsJson = java.util.Base64.getUrlDecoder().decode(parts[1]);
    String resigned = Jwt.sign(claimsJson, KeyPair.fromSeed(SpecVectors.NKEYS[0][0]));
    assertEquals(SpecVectors.ECHO_UNPRIV_TOKEN, resigned);
  }

  @Test
  void actorClaimsReserializeInWascapOrder() {
    SignedToken t = Jwt.decode(SpecVectors.ECHO_UNPRIV_TOKEN);
    byte[] again = ClaimsCodec.toJson(ClaimsCodec.parseActor(t.claimsJson()));
    assertEquals(
        new String(t.claimsJson(), StandardCharsets.UTF_8),
        new String(again, StandardCharsets.UTF_8));
  }

  @Test
  void constructedInvocationTokenReproducesExactly() {
    byte[] json = SpecVectors.INVOCATION_CLAIMS_JSON.getBytes(StandardCharsets.UTF_8);
    Claims<InvocationMetadata> c = ClaimsCodec.parseInvocation(json);
    assertArrayEquals(json, ClaimsCodec.toJson(c), "claims JSON must re-serialise byte for byte");
    assertEquals(
        SpecVectors.INVOCATION_TOKEN, Jwt.sign(json, KeyPair.fromSeed(SpecVectors.CLUSTER_SEED)));
    SignedToken t = Jwt.decode(SpecVectors.INVOCATION_TOKEN);
    Jwt.verifySignature(t, KeyPair.fromPublicKey(SpecVectors.CLUSTER_PK));
  }

  @Test
  void flippedSignatureBitFails() {
    String token = SpecVectors.INVOCATION_TOKEN;
    int i = token.length() - 10;
    String flipped =
        token.substring(0, i) + (token.charAt(i) == 'A' ? 'B' : 'A') + token.substring(i + 1);
    SignedToken t = Jwt.decode(flipped);
    InvalidSignatureException e =
        assertThrows(
            InvalidSignatureException.class,
            () -> Jwt.verifySignature(t, KeyPair.fromPublicKey(SpecVectors.CLUSTER_PK)));
    assertTrue(e.getMessage().contains(SpecVectors.CLUSTER_PK));
  }

  @Test
  void tamperedClaimsSegmentFails() {
    String[] p = SpecVectors.INVOCATION_TOKEN.split("\\.");
    String other =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                SpecVectors.INVOCATION_CLAIMS_JSON
                    .replace("1700000000", "1700000001")
                    .getBytes(StandardCharsets.UTF_8));
    SignedToken t = Jwt.decode(p[0] + "." + other + "." + p[2]);
    assertThrows(
        InvalidSignatureException.class,
        () -> Jwt.verifySignature(t, KeyPair.fromPublicKey(SpecVectors.CLUSTER_PK)));
  }

  @Test
  void wrongIssuerKeyFails() {
    SignedToken t = Jwt.decode(SpecVectors.INVOCATION_TOKEN);
    assertThrows(
        InvalidSignatureException.class,
        () -> Jwt.verifySignature(t, KeyPair.fromPublicKey(SpecVectors.NKEYS[0][1])));
  }

  @Test
  void expiryAndNotBeforeUseTheDocumentedSkew() {
    Instant now = Instant.ofEpochSecond(1_000_000);
    Jwt.checkTimes(null, null, now);
    Jwt.checkTimes(1_000_000L - 29, null, now);
    TokenExpiredException e =
        assertThrows(TokenExpiredException.class, () -> Jwt.checkTimes(1_000_000L - 31, null, now));
    assertTrue(e.getMessage().startsWith("Claims token expired"));
    Jwt.checkTimes(null, 1_000_000L + 29, now);
    TokenNotYetValidException n =
        assertThrows(
            TokenNotYetValidException.class, () -> Jwt.checkTimes(null, 1_000_000L + 31, now));
    assertTrue(n.getMessage().startsWith("Claims token cannot be used yet"));
  }

  @Test
  void malformedTokensAreNamed() {
    assertThrows(MalformedTokenException.class, () -> Jwt.decode(""));
    assertThrows(MalformedTokenException.class, () -> Jwt.decode("a.b"));
    assertThrows(MalformedTokenException.class, () -> Jwt.decode("a.b.c.d"));
    assertThrows(MalformedTokenException.class, () -> Jwt.decode("***.e30.AA"));
    String rs256 =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"typ\":\"JWT\",\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
    MalformedTokenException e =
        assertThrows(MalformedTokenException.class, () -> Jwt.decode(rs256 + ".e30.AA"));
    assertTrue(e.getMessage().contains("Ed25519"));
    assertThrows(
        MalformedTokenException.class,
        () -> ClaimsCodec.parse("{\"sub\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
    assertThrows(
        MalformedTokenException.class,
        () -> ClaimsCodec.parse("{\"iss\":\"x\",\"sub\":\"y\"}".getBytes(StandardCharsets.UTF_8)));
    assertThrows(
        MalformedTokenException.class,
        () -> ClaimsCodec.parse("nope".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void providerClaimsWithoutAContractIdAreRefusedByName() {
    String base = "{\"iss\":\"x\",\"sub\":\"y\",\"wascap\":{\"capid\":";
    for (String capid : new String[] {"null", "\"\""}) {
      MalformedTokenException e =
          assertThrows(
              MalformedTokenException.class,
              () -> ClaimsCodec.parse((base + capid + "}}").getBytes(StandardCharsets.UTF_8)));
      assertTrue(e.getMessage().contains("'capid'"), e.getMessage());
    }
    assertEquals(
        "wasmcloud:keyvalue",
        ((ProviderMetadata)
                ClaimsCodec.parse(
                        (base + "\"wasmcloud:keyvalue\"}}").getBytes(StandardCharsets.UTF_8))
                    .metadata())
            .capabilityContractId());
  }
}
