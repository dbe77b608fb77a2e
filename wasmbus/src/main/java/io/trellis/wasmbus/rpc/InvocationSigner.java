package io.trellis.wasmbus.rpc;

import io.nats.client.NUID;
import io.trellis.wasmbus.claims.Claims;
import io.trellis.wasmbus.claims.ClaimsCodec;
import io.trellis.wasmbus.claims.InvocationMetadata;
import io.trellis.wasmbus.internal.Hex;
import io.trellis.wasmbus.jwt.Jwt;
import io.trellis.wasmbus.nkeys.InvalidKeyException;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/** Builds invocations signed with the cluster seed (PROTOCOL.md §4.4). Thread-safe. */
public final class InvocationSigner {
  private final KeyPair clusterKey;
  private final String hostId;
  private final Clock clock;

  /**
   * @param clusterKey a cluster key pair with its seed
   * @param hostId what goes into {@code host_id}; the OTP host puts the cluster public key here,
   *     providers put the host's server key
   */
  public InvocationSigner(KeyPair clusterKey, String hostId, Clock clock) {
    if (clusterKey.type() != KeyType.CLUSTER || !clusterKey.canSign()) {
      throw new InvalidKeyException(
          "invocations are signed with a cluster seed (SC...), got " + clusterKey);
    }
    this.clusterKey = clusterKey;
    this.hostId = hostId;
    this.clock = clock;
  }

  public InvocationSigner(KeyPair clusterKey, String hostId) {
    this(clusterKey, hostId, Clock.systemUTC());
  }

  public String issuer() {
    return clusterKey.publicKey();
  }

  public Invocation sign(
      WasmCloudEntity origin, WasmCloudEntity target, String operation, byte[] msg) {
    return sign(
        origin,
        target,
        operation,
        msg,
        UUID.randomUUID().toString(),
        clock.instant().getEpochSecond(),
        NUID.nextGlobal());
  }

  /** Fully determined signing, for test vectors. */
  public Invocation sign(
      WasmCloudEntity origin,
      WasmCloudEntity target,
      String operation,
      byte[] msg,
      String id,
      long issuedAt,
      String jti) {
    String originUrl = origin.url();
    String targetUrl = target.url() + "/" + operation;
    String hash = hash(originUrl, targetUrl, operation, msg);
    Claims<InvocationMetadata> claims =
        new Claims<>(
            jti,
            issuedAt,
            clusterKey.publicKey(),
            id,
            null,
            null,
            new InvocationMetadata(targetUrl, originUrl, hash),
            3);
    String token = Jwt.sign(ClaimsCodec.toJson(claims), clusterKey);
    return new Invocation(
        origin, target, operation, msg, id, token, hostId, (long) msg.length, Map.of());
  }

  /** HEX_UPPER(SHA-256(origin_url ‖ target_url ‖ operation ‖ msg)). */
  public static String hash(String originUrl, String targetUrl, String operation, byte[] msg) {
    MessageDigest d = Hex.sha256();
    d.update(originUrl.getBytes(StandardCharsets.UTF_8));
    d.update(targetUrl.getBytes(StandardCharsets.UTF_8));
    d.update(operation.getBytes(StandardCharsets.UTF_8));
    d.update(msg);
    return Hex.upper(d.digest());
  }
}
