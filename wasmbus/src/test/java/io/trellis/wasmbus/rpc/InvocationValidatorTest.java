package io.trellis.wasmbus.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.wasmbus.SpecVectors;
import io.trellis.wasmbus.claims.Claims;
import io.trellis.wasmbus.claims.ClaimsCodec;
import io.trellis.wasmbus.claims.InvocationMetadata;
import io.trellis.wasmbus.jwt.Jwt;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvocationValidatorTest {
  static final KeyPair CLUSTER = KeyPair.generate(KeyType.CLUSTER);
  static final String ACTOR = KeyPair.generate(KeyType.MODULE).publicKey();
  static final WasmCloudEntity PROVIDER =
      WasmCloudEntity.provider(
          KeyPair.generate(KeyType.SERVICE).publicKey(), "wasmcloud:httpserver", "default");
  static final InvocationSigner SIGNER = new InvocationSigner(CLUSTER, CLUSTER.publicKey());
  static final InvocationValidator VALIDATOR =
      new InvocationValidator(List.of(CLUSTER.publicKey()));

  static Invocation valid() {
    return SIGNER.sign(
        PROVIDER, WasmCloudEntity.actor(ACTOR), "HttpServer.HandleRequest", "body".getBytes());
  }

  @Test
  void validInvocationPasses() {
    Claims<InvocationMetadata> c = VALIDATOR.verify(valid(), ACTOR);
    assertEquals(CLUSTER.publicKey(), c.issuer());
  }

  @Test
  void specInvocationPassesWithItsIssuer() {
    Invocation inv = InvocationTest.specInvocation();
    new InvocationValidator(List.of(SpecVectors.CLUSTER_PK)).verify(inv, SpecVectors.KVREDIS_PK);
  }

  @Test
  void claimsWithoutUrlsFailTheHashByName() {
    Invocation inv = valid();
    InvocationHashMismatchException e =
        assertThrows(
            InvocationHashMismatchException.class,
            () ->
                InvocationValidator.verifyHash(
                    inv, inv.msg(), new InvocationMetadata(null, null, "ABC")));
    assertTrue(e.getMessage().contains("no origin or target URL"), e.getMessage());
  }

  @Test
  void tamperedPayloadFailsTheHash() {
    Invocation inv = valid().withMsg("evil".getBytes());
    InvocationHashMismatchException e =
        assertThrows(InvocationHashMismatchException.class, () -> VALIDATOR.verify(inv, ACTOR));
    assertTrue(e.getMessage().startsWith("Invocation hash does not match signed claims hash ("));
  }

  @Test
  void unknownIssuerIsRejectedByName() {
    KeyPair rogue = KeyPair.generate(KeyType.CLUSTER);
    Invocation inv =
        new InvocationSigner(rogue, rogue.publicKey())
            .sign(PROVIDER, WasmCloudEntity.actor(ACTOR), "X.Y", new byte[0]);
    UnknownIssuerException e =
        assertThrows(UnknownIssuerException.class, () -> VALIDATOR.verify(inv, ACTOR));
    assertTrue(e.getMessage().contains(rogue.publicKey()));
    assertEquals("unknown_issuer", e.kind());
  }

  @Test
  void aTokenReplayedUnderAnotherInvocationIdIsRejected() {
    Invocation inv = valid();
    Invocation replayed =
        new Invocation(
            inv.origin(),
            inv.target(),
            inv.operation(),
            inv.msg(),
            "00000000-0000-0000-0000-000000000000",
            inv.encodedClaims(),
            inv.hostId(),
            inv.contentLength(),
            null);
    AntiForgeryException e =
        assertThrows(AntiForgeryException.class, () -> VALIDATOR.verify(replayed, ACTOR));
    assertTrue(
        e.getMessage()
            .contains(
                "invocation id '00000000-0000-0000-0000-000000000000' does not"
                    + " match the signed claims subject '"
                    + inv.id()
                    + "'"),
        e.getMessage());
  }

  @Test
  void expiredTokenFailsAntiForgery() {
    Invocation inv = valid();
    Claims<InvocationMetadata> c =
        ClaimsCodec.parseInvocation(Jwt.decode(inv.encodedClaims()).claimsJson());
    Claims<InvocationMetadata> expired =
        new Claims<>(c.jti(), c.issuedAt(), c.issuer(), c.subject(), 1_000L, null, c.metadata(), 3);
    Invocation old =
        new Invocation(
            inv.origin(),
            inv.target(),
            inv.operation(),
            inv.msg(),
            inv.id(),
            Jwt.sign(ClaimsCodec.toJson(expired), CLUSTER),
            inv.hostId(),
            inv.contentLength(),
            null);
    AntiForgeryException e =
        assertThrows(AntiForgeryException.class, () -> VALIDATOR.verify(old, ACTOR));
    assertTrue(
        e.getMessage().startsWith("Anti-forgery check failed: Invocation claims token expired"),
        e.getMessage());
  }

  @Test
  void forgedSignatureFailsAntiForgery() {
    Invocation inv = valid();
    String t = inv.encodedClaims();
    int i = t.length() - 5;
    String bad = t.substring(0, i) + (t.charAt(i) == 'A' ? 'B' : 'A') + t.substring(i + 1);
    Invocation forged =
        new Invocation(
            inv.origin(),
            inv.target(),
            inv.operation(),
            inv.msg(),
            inv.id(),
            bad,
            inv.hostId(),
            inv.contentLength(),
            null);
    AntiForgeryException e =
        assertThrows(AntiForgeryException.class, () -> VALIDATOR.verify(forged, ACTOR));
    assertTrue(e.getMessage().contains("signature invalid"), e.getMessage());
  }

  @Test
  void redirectedTargetFails() {
    Invocation inv = valid();
    Invocation moved =
        new Invocation(
            inv.origin(),
            WasmCloudEntity.actor(KeyPair.generate(KeyType.MODULE).publicKey()),
            inv.operation(),
            inv.msg(),
            inv.id(),
            inv.encodedClaims(),
            inv.hostId(),
            inv.contentLength(),
            null);
    assertThrows(InvocationTargetMismatchException.class, () -> VALIDATOR.verifyClaims(moved));
    // correctly signed, but for another actor than the receiver
    InvocationTargetMismatchException e =
        assertThrows(
            InvocationTargetMismatchException.class, () -> VALIDATOR.verify(valid(), "MOTHER"));
    assertTrue(e.getMessage().contains("MOTHER"));
  }

  @Test
  void spoofedOriginFails() {
    Invocation inv = valid();
    Invocation spoof =
        new Invocation(
            WasmCloudEntity.provider(PROVIDER.publicKey(), "wasmcloud:keyvalue", "default"),
            inv.target(),
            inv.operation(),
            inv.msg(),
            inv.id(),
            inv.encodedClaims(),
            inv.hostId(),
            inv.contentLength(),
            null);
    assertThrows(InvocationOriginMismatchException.class, () -> VALIDATOR.verify(spoof, ACTOR));
  }

  @Test
  void badHostIdFails() {
    Invocation inv = valid();
    Invocation odd =
        new Invocation(
            inv.origin(),
            inv.target(),
            inv.operation(),
            inv.msg(),
            inv.id(),
            inv.encodedClaims(),
            "Xshort",
            inv.contentLength(),
            null);
    assertThrows(InvalidHostIdException.class, () -> VALIDATOR.verify(odd, ACTOR));
  }

  @Test
  void notYetValidTokenFails() {
    Clock past = Clock.fixed(Instant.ofEpochSecond(1_000), ZoneOffset.UTC);
    Invocation inv = valid();
    Claims<InvocationMetadata> c =
        ClaimsCodec.parseInvocation(Jwt.decode(inv.encodedClaims()).claimsJson());
    Claims<InvocationMetadata> future =
        new Claims<>(c.jti(), c.issuedAt(), c.issuer(), c.subject(), null, 5_000L, c.metadata(), 3);
    Invocation early =
        new Invocation(
            inv.origin(),
            inv.target(),
            inv.operation(),
            inv.msg(),
            inv.id(),
            Jwt.sign(ClaimsCodec.toJson(future), CLUSTER),
            inv.hostId(),
            inv.contentLength(),
            null);
    AntiForgeryException e =
        assertThrows(
            AntiForgeryException.class,
            () -> new InvocationValidator(List.of(CLUSTER.publicKey()), past).verify(early, ACTOR));
    assertTrue(e.getMessage().contains("before claims token allows"));
    assertTrue(
        new String(Jwt.decode(early.encodedClaims()).claimsJson(), StandardCharsets.UTF_8)
            .contains("nbf"));
  }
}
