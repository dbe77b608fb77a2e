package io.trellis.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;

/**
 * A docker token service for {@link OciRegistry} in token mode: {@code GET
 * /token?service=..&scope=..} with Basic credentials answers {@code {"token", "access_token",
 * "expires_in", "issued_at"}}, an RS256 JWT that carries its certificate in {@code x5c}. The
 * registry trusts it through {@code rootcertbundle} (that same self-signed certificate). Wrong or
 * missing credentials get 401; repositories under {@code forbidden/} get 403 for everybody.
 */
public final class OciTokenService implements AutoCloseable {
  public static final String ISSUER = "trellis-test-token-service";
  public static final String SERVICE = "trellis-test-registry";

  private final HttpServer server;
  private final KeyPair key;
  private final byte[] certificate;
  private final String user;
  private final String password;
  private final long lifetimeSeconds;
  private final AtomicInteger issued = new AtomicInteger();

  OciTokenService(String user, String password, long lifetimeSeconds) {
    this.user = user;
    this.password = password;
    this.lifetimeSeconds = lifetimeSeconds;
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      this.key = g.generateKeyPair();
      this.certificate = selfSigned(key);
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create the token signing key", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for the token service", e);
    }
    server.createContext("/token", this::token);
    server.start();
  }

  /** {@code http://127.0.0.1:PORT/token}, the registry's {@code realm}. */
  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /** How many tokens were handed out (a client that caches tokens asks once per scope). */
  public int issued() {
    return issued.get();
  }

  /** The signing certificate in PEM, for {@code rootcertbundle}. */
  public String certificatePem() {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(certificate)
        + "\n-----END CERTIFICATE-----\n";
  }

  private static byte[] selfSigned(KeyPair key) throws GeneralSecurityException {
    long now = System.currentTimeMillis();
    X500Name name = new X500Name("CN=" + ISSUER);
    AlgorithmIdentifier alg =
        new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE);
    V3TBSCertificateGenerator g = new V3TBSCertificateGenerator();
    g.setSerialNumber(new ASN1Integer(BigInteger.valueOf(now)));
    g.setIssuer(name);
    g.setSubject(name);
    g.setStartDate(new Time(new Date(now - 3_600_000L)));
    g.setEndDate(new Time(new Date(now + 7L * 24 * 3_600_000L)));
    g.setSubjectPublicKeyInfo(SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()));
    g.setSignature(alg);
    TBSCertificate tbs = g.generateTBSCertificate();
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(key.getPrivate());
      s.update(tbs.getEncoded(ASN1Encoding.DER));
      ASN1EncodableVector v = new ASN1EncodableVector();
      v.add(tbs);
      v.add(alg);
      v.add(new DERBitString(s.sign()));
      return Certificate.getInstance(new DERSequence(v)).getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the certificate", e);
    }
  }

  private void token(HttpExchange x) throws IOException {
    try (x) {
      String auth = x.getRequestHeaders().getFirst("Authorization");
      String expected =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      if (!expected.equals(auth)) {
        reply(x, 401, "{\"details\":\"incorrect username or password\"}");
        return;
      }
      List<String> scopes = new ArrayList<>();
      String query = x.getRequestURI().getRawQuery();
      for (String p : query == null ? new String[0] : query.split("&")) {
        if (p.startsWith("scope=")) {
          for (String s : URLDecoder.decode(p.substring(6), StandardCharsets.UTF_8).split(" ")) {
            scopes.add(s);
          }
        }
      }
      StringBuilder access = new StringBuilder();
      for (String s : scopes) {
        String[] parts = s.split(":");
        if (parts.length != 3) {
          continue;
        }
        if (parts[1].startsWith("forbidden/")) {
          reply(x, 403, "{\"details\":\"access to " + parts[1] + " is forbidden\"}");
          return;
        }
        StringBuilder actions = new StringBuilder();
        for (String a : parts[2].split(",")) {
          actions.append(actions.isEmpty() ? "" : ",").append('"').append(a).append('"');
        }
        access
            .append(access.isEmpty() ? "" : ",")
            .append("{\"type\":\"")
            .append(parts[0])
            .append("\",\"name\":\"")
            .append(parts[1])
            .append("\",\"actions\":[")
            .append(actions)
            .append("]}");
      }
      long now = System.currentTimeMillis() / 1000;
      String header =
          "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5c\":[\""
              + Base64.getEncoder().encodeToString(certificate)
              + "\"]}";
      String claims =
          "{\"iss\":\""
              + ISSUER
              + "\",\"sub\":\""
              + user
              + "\",\"aud\":\""
              + SERVICE
              + "\",\"exp\":"
              + (now + lifetimeSeconds)
              + ",\"nbf\":"
              + (now - 1)
              + ",\"iat\":"
              + now
              + ",\"jti\":\""
              + UUID.randomUUID()
              + "\",\"access\":["
              + access
              + "]}";
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      String signingInput =
          b64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
              + "."
              + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
      String jwt;
      try {
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key.getPrivate());
        s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        jwt = signingInput + "." + b64.encodeToString(s.sign());
      } catch (GeneralSecurityException e) {
        reply(x, 500, "{\"details\":\"cannot sign\"}");
        return;
      }
      issued.incrementAndGet();
      reply(
          x,
          200,
          "{\"token\":\""
              + jwt
              + "\",\"access_token\":\""
              + jwt
              + "\",\"expires_in\":"
              + lifetimeSeconds
              + ",\"issued_at\":\""
              + Instant.ofEpochSecond(now)
              + "\"}");
    }
  }

  private static void reply(HttpExchange x, int status, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, b.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
