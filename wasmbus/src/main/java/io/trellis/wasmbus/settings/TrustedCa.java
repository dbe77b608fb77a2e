package io.trellis.wasmbus.settings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CA that NATS servers' TLS certificates are checked against ({@code WASMCLOUD_TLS_CA_PATH}, a
 * PEM file with one or more certificates), for hosts, providers and the ctl client alike: a private
 * CA is the usual case for a lattice, and the JVM's default trust store does not know it.
 */
public final class TrustedCa {
  /** The environment variable (and, in lower case without the prefix, the setting) naming it. */
  public static final String ENV = "WASMCLOUD_TLS_CA_PATH";

  private TrustedCa() {}

  /** An SSL context that trusts exactly the certificates of the PEM file at {@code pem}. */
  public static SSLContext sslContext(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new InvalidSettingException("TLS CA file " + pem + " holds no certificate");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException e) {
      throw new InvalidSettingException("cannot read TLS CA file " + pem + ": " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new InvalidSettingException(
          "TLS CA file " + pem + " is not a PEM certificate: " + e.getMessage());
    }
  }
}
