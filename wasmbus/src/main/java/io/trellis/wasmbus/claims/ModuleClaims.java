package io.trellis.wasmbus.claims;

import io.trellis.wasmbus.claims.WasmSections.Section;
import io.trellis.wasmbus.internal.Hex;
import io.trellis.wasmbus.jwt.Jwt;
import io.trellis.wasmbus.jwt.MalformedTokenException;
import io.trellis.wasmbus.jwt.SignedToken;
import io.trellis.wasmbus.nkeys.InvalidKeyException;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Claims embedded in a wasm module: find, hash, embed, sign and verify (PROTOCOL.md §2.1-§2.4). */
public final class ModuleClaims {
  /** Section name written by wascap before 0.9, and read by every OTP-era host. */
  public static final String SECTION = "jwt";

  /** Section name written by wascap 0.9 and later; accepted on read. */
  public static final String SECTION_NEW = "wasmcloud_jwt";

  private ModuleClaims() {}

  static boolean isClaimsSection(Section s) {
    return s.id() == 0 && (SECTION.equals(s.name()) || SECTION_NEW.equals(s.name()));
  }

  /** The raw token in the first claims section, if any. */
  public static Optional<String> findToken(byte[] module) {
    for (Section s : WasmSections.parse(module)) {
      if (isClaimsSection(s)) {
        int len = s.contentStart() + s.contentLength() - s.payloadStart();
        return Optional.of(new String(module, s.payloadStart(), len, StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  /** HEX_UPPER(SHA-256(module without claims sections, sizes re-encoded minimally)). */
  public static String computeHash(byte[] module) {
    List<Section> sections = WasmSections.parse(module);
    return Hex.sha256Upper(WasmSections.rebuild(module, sections, s -> !isClaimsSection(s)));
  }

  /** The module with every claims section removed and {@code token} appended as section "jwt". */
  public static byte[] embed(byte[] module, String token) {
    List<Section> sections = WasmSections.parse(module);
    byte[] stripped = WasmSections.rebuild(module, sections, s -> !isClaimsSection(s));
    byte[] section = WasmSections.customSection(SECTION, token.getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream out = new ByteArrayOutputStream(stripped.length + section.length);
    out.write(stripped, 0, stripped.length);
    out.write(section, 0, section.length);
    return out.toByteArray();
  }

  /**
   * Signs a module: computes its hash, puts it into {@code metadata}, signs the claims with {@code
   * issuer} (an account key) for {@code subject} (a module key) and embeds the token.
   */
  public static byte[] sign(
      byte[] module,
      ActorMetadata metadata,
      KeyPair issuer,
      KeyPair subject,
      long issuedAt,
      String jti,
      @Nullable Long expires,
      @Nullable Long notBefore) {
    requireType(issuer, KeyType.ACCOUNT, "issuer");
    requireType(subject, KeyType.MODULE, "subject");
    String hash = computeHash(module);
    Claims<ActorMetadata> claims =
        new Claims<>(
            jti,
            issuedAt,
            issuer.publicKey(),
            subject.publicKey(),
            expires,
            notBefore,
            metadata.withHash(hash),
            3);
    return embed(module, Jwt.sign(ClaimsCodec.toJson(claims), issuer));
  }

  /**
   * Verifies an actor module: claims present, well formed, signed by their issuer, within exp/nbf,
   * and the module hash equal to the signed hash.
   */
  public static SignedModule verify(byte[] module, Instant now) {
    String token =
        findToken(module)
            .orElseThrow(
                () ->
                    new NoClaimsException(
                        "No claims found in source module (no 'jwt' or"
                            + " 'wasmcloud_jwt' custom section): sign it with 'trellis claims sign'"));
    SignedToken signed = Jwt.decode(token);
    Claims<ActorMetadata> claims = ClaimsCodec.parseActor(signed.claimsJson());
    KeyPair issuer;
    try {
      issuer = KeyPair.fromPublicKey(claims.issuer());
    } catch (InvalidKeyException e) {
      throw new MalformedTokenException("claims issuer is not a valid nkey: " + e.getMessage());
    }
    if (!KeyPair.isValidPublicKey(claims.subject(), KeyType.MODULE)) {
      throw new MalformedTokenException(
          "actor claims subject '" + claims.subject() + "' is not a module key (M...)");
    }
    Jwt.verifySignature(signed, issuer);
    Jwt.checkTimes(claims.expires(), claims.notBefore(), now);
    String computed = computeHash(module);
    String claimed = claims.metadata().hash();
    // wascap only rejects a mismatch for wascap_revision >= 3; we reject always, because a
    // tampered module is never what the signer meant to run (docs/DECISIONS.md).
    if (claimed == null || !claimed.equalsIgnoreCase(computed)) {
      throw new ModuleHashMismatchException(claimed, computed);
    }
    return new SignedModule(claims, token, computed);
  }

  private static void requireType(KeyPair key, KeyType type, String role) {
    if (key.type() != type) {
      throw new InvalidKeyException(
          "the "
              + role
              + " must be a "
              + type
              + " key, got a "
              + key.type()
              + " key "
              + key.publicKey());
    }
    if (!key.canSign()) {
      throw new InvalidKeyException("the " + role + " key " + key.publicKey() + " has no seed");
    }
  }
}
