package io.trellis.wasmbus.par;

import io.nats.client.NUID;
import io.trellis.wasmbus.claims.Claims;
import io.trellis.wasmbus.claims.ClaimsCodec;
import io.trellis.wasmbus.claims.ProviderMetadata;
import io.trellis.wasmbus.internal.Hex;
import io.trellis.wasmbus.jwt.Jwt;
import io.trellis.wasmbus.jwt.SignedToken;
import io.trellis.wasmbus.jwt.TokenException;
import io.trellis.wasmbus.nkeys.InvalidKeyException;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A capability provider archive (PROTOCOL.md §2.5): a tar, optionally gzipped, holding {@code
 * claims.jwt} (provider claims signed by an account key, subject = the provider's service key) and
 * one {@code <target>.bin} per platform whose {@code HEX_UPPER(SHA-256)} is in {@code
 * wascap.target_hashes}.
 *
 * <p>{@link #read} verifies everything (signature, exp/nbf, every binary's hash); {@link #parse}
 * only decodes, for tools that must show a broken archive and say what is wrong with it.
 */
public final class ProviderArchive {
  public static final String CLAIMS_ENTRY = "claims.jwt";
  public static final String BINARY_SUFFIX = ".bin";

  private final String token;
  private final Claims<ProviderMetadata> claims;
  private final SortedSet<String> targets;
  private final Map<String, byte[]> binaries;

  ProviderArchive(String token, Claims<ProviderMetadata> claims, Map<String, byte[]> binaries) {
    this.token = token;
    this.claims = claims;
    this.binaries = Collections.unmodifiableMap(new TreeMap<>(binaries));
    this.targets = Collections.unmodifiableSortedSet(new TreeSet<>(binaries.keySet()));
  }

  /** Reads and fully verifies an archive (now). */
  public static ProviderArchive read(byte[] bytes) {
    return read(bytes, Instant.now());
  }

  public static ProviderArchive read(byte[] bytes, Instant now) {
    ProviderArchive par = parse(bytes);
    par.verify(now);
    return par;
  }

  public static ProviderArchive read(Path file) throws IOException {
    return read(Files.readAllBytes(file));
  }

  /**
   * Decodes an archive and its claims without checking signature, times or hashes.
   *
   * @throws MalformedArchiveException when the bytes are not a usable tar
   * @throws MissingArchiveClaimsException when there is no {@code claims.jwt}
   * @throws InvalidArchiveClaimsException when the token cannot be decoded as provider claims
   */
  public static ProviderArchive parse(byte[] bytes) {
    Map<String, byte[]> entries = TarEntries.read(bytes);
    byte[] jwt = entries.remove(CLAIMS_ENTRY);
    if (jwt == null) {
      throw new MissingArchiveClaimsException(
          "provider archive has no "
              + CLAIMS_ENTRY
              + " (entries: "
              + (entries.isEmpty() ? "none" : String.join(", ", entries.keySet()))
              + ")");
    }
    String token = new String(jwt, StandardCharsets.UTF_8).strip();
    Claims<ProviderMetadata> claims;
    try {
      claims = ClaimsCodec.parseProvider(Jwt.decode(token).claimsJson());
    } catch (TokenException e) {
      throw new InvalidArchiveClaimsException(
          CLAIMS_ENTRY
              + " of the provider archive is not valid"
              + " provider claims: "
              + e.getMessage(),
          e);
    }
    Map<String, byte[]> binaries = new LinkedHashMap<>();
    entries.forEach(
        (name, data) -> {
          if (name.endsWith(BINARY_SUFFIX) && name.indexOf('/') < 0) {
            binaries.put(name.substring(0, name.length() - BINARY_SUFFIX.length()), data);
          }
        });
    return new ProviderArchive(token, claims, binaries);
  }

  /**
   * Checks the token's signature against its issuer, exp/nbf (with {@link Jwt#CLOCK_SKEW}), that
   * the subject is a service key, and every binary's hash.
   */
  public void verify(Instant now) {
    verifyClaims(now);
    verifyHashes();
  }

  /** Signature, subject type and times. */
  public void verifyClaims(Instant now) {
    try {
      SignedToken t = Jwt.decode(token);
      Jwt.verifySignature(t, KeyPair.fromPublicKey(claims.issuer()));
      Jwt.checkTimes(claims.expires(), claims.notBefore(), now);
    } catch (TokenException | InvalidKeyException e) {
      throw new InvalidArchiveClaimsException(
          CLAIMS_ENTRY + " of provider " + claims.subject() + " does not verify: " + e.getMessage(),
          e);
    }
    if (!KeyPair.isValidPublicKey(claims.subject(), KeyType.SERVICE)) {
      throw new InvalidArchiveClaimsException(
          CLAIMS_ENTRY
              + " subject '"
              + claims.subject()
              + "' is not a service public key (V..., 56 characters)");
    }
  }

  /** Every binary must hash to its {@code target_hashes} entry. */
  public void verifyHashes() {
    Map<String, String> expected = claims.metadata().targetHashes();
    for (Map.Entry<String, byte[]> e : binaries.entrySet()) {
      String want = expected.get(e.getKey());
      String got = hash(e.getValue());
      if (want == null) {
        throw new BinaryHashMismatchException(
            e.getKey(),
            "provider archive binary "
                + e.getKey()
                + BINARY_SUFFIX
                + " has no hash in the claims (target_hashes lists "
                + (expected.isEmpty() ? "no targets" : String.join(", ", expected.keySet()))
                + ")");
      }
      if (!want.equalsIgnoreCase(got)) {
        throw new BinaryHashMismatchException(
            e.getKey(),
            "provider archive binary for target "
                + e.getKey()
                + " does not match its signed hash: claims say "
                + want
                + ", the binary hashes to "
                + got);
      }
    }
  }

  /** HEX_UPPER(SHA-256(bytes)), the hash {@code target_hashes} holds. */
  public static String hash(byte[] bytes) {
    return Hex.sha256Upper(bytes);
  }

  public String token() {
    return token;
  }

  public Claims<ProviderMetadata> claims() {
    return claims;
  }

  public ProviderMetadata metadata() {
    return claims.metadata();
  }

  /** The provider's service key ({@code V...}), the claims subject. */
  public String publicKey() {
    return claims.subject();
  }

  public String issuer() {
    return claims.issuer();
  }

  public String capabilityContractId() {
    return claims.metadata().capabilityContractId();
  }

  /** The targets that have a binary in this archive. */
  public SortedSet<String> targets() {
    return targets;
  }

  /**
   * The binary for a target.
   *
   * @throws NoBinaryForTargetException listing the targets the archive does have
   */
  public byte[] binary(String target) {
    byte[] b = binaries.get(target);
    if (b == null) {
      throw new NoBinaryForTargetException(
          "provider archive "
              + claims.subject()
              + " ("
              + claims.metadata().name()
              + ") has no binary for target "
              + target
              + "; it has "
              + (targets.isEmpty() ? "no binaries at all" : String.join(", ", targets)));
    }
    return b.clone();
  }

  /** The binary for the platform this JVM runs on ({@link Targets#current()}). */
  public byte[] hostBinary() {
    return binary(Targets.current());
  }

  /** The archive as a tar, gzipped when {@code gzip} ({@code .par.gz}). */
  public byte[] toBytes(boolean gzip) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(CLAIMS_ENTRY, token.getBytes(StandardCharsets.UTF_8));
    binaries.forEach((t, b) -> entries.put(t + BINARY_SUFFIX, b));
    return TarEntries.write(entries, claims.issuedAt(), gzip);
  }

  public static Builder builder(String capabilityContractId, String name, @Nullable String vendor) {
    return new Builder(capabilityContractId, name, vendor);
  }

  /** Signs a new archive: {@code builder(...).binary(target, bytes).sign(account, service)}. */
  public static final class Builder {
    private final String capid;
    private final String name;
    private final String vendor;
    private @Nullable Integer rev;
    private @Nullable String ver;
    private @Nullable Long issuedAt;
    private @Nullable Long expires;
    private @Nullable Long notBefore;
    private final Map<String, byte[]> binaries = new TreeMap<>();

    private Builder(String capid, String name, @Nullable String vendor) {
      if (capid == null || capid.isBlank()) {
        throw new IllegalArgumentException("a provider archive needs a capability contract id");
      }
      this.capid = capid;
      this.name = name;
      this.vendor = vendor == null ? "" : vendor;
    }

    public Builder rev(@Nullable Integer rev) {
      this.rev = rev;
      return this;
    }

    public Builder ver(@Nullable String ver) {
      this.ver = ver;
      return this;
    }

    public Builder issuedAt(long unixSeconds) {
      this.issuedAt = unixSeconds;
      return this;
    }

    public Builder expires(@Nullable Long unixSeconds) {
      this.expires = unixSeconds;
      return this;
    }

    public Builder notBefore(@Nullable Long unixSeconds) {
      this.notBefore = unixSeconds;
      return this;
    }

    public Builder binary(String target, byte[] bytes) {
      if (!Targets.isValid(target)) {
        throw new IllegalArgumentException(
            "'" + target + "' is not a target name such as x86_64-linux");
      }
      binaries.put(target, bytes.clone());
      return this;
    }

    /**
     * Signs the claims with the account key; the subject is the service key.
     *
     * @throws InvalidKeyException when the keys have the wrong type or no seed
     */
    public ProviderArchive sign(KeyPair account, KeyPair service) {
      if (account.type() != KeyType.ACCOUNT || !account.canSign()) {
        throw new InvalidKeyException(
            "provider archives are signed with an account seed (SA...), got " + account);
      }
      if (service.type() != KeyType.SERVICE) {
        throw new InvalidKeyException(
            "a provider's subject is a service key (V...), got " + service);
      }
      if (binaries.isEmpty()) {
        throw new IllegalArgumentException("a provider archive needs at least one binary");
      }
      Map<String, String> hashes = new TreeMap<>();
      binaries.forEach((t, b) -> hashes.put(t, hash(b)));
      ProviderMetadata meta = new ProviderMetadata(name, capid, vendor, rev, ver, hashes, null);
      long iat = issuedAt != null ? issuedAt : Instant.now().getEpochSecond();
      Claims<ProviderMetadata> claims =
          new Claims<>(
              NUID.nextGlobal(),
              iat,
              account.publicKey(),
              service.publicKey(),
              expires,
              notBefore,
              meta,
              3);
      String token = Jwt.sign(ClaimsCodec.toJson(claims), account);
      return new ProviderArchive(token, claims, binaries);
    }
  }
}
