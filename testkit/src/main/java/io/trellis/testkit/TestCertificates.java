package io.trellis.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA and a server certificate for {@code 127.0.0.1}/{@code localhost}, made with the
 * JDK's keytool (no extra dependency), as PEM files a nats-server {@code tls} block and the Trellis
 * {@code WASMCLOUD_TLS_CA_PATH} setting read.
 *
 * @param caPem the CA certificate clients trust
 * @param serverCertPem the server certificate, signed by the CA
 * @param serverKeyPem the server's private key (PKCS#8)
 */
public record TestCertificates(Path caPem, Path serverCertPem, Path serverKeyPem) {
  private static final String PASSWORD = "trellis-test";

  /** Generates the CA and the server certificate into {@code dir} (a few hundred ms). */
  public static TestCertificates generate(Path dir) {
    try {
      Files.createDirectories(dir);
      Path ca = dir.resolve("ca.p12");
      Path server = dir.resolve("server.p12");
      Path csr = dir.resolve("server.csr");
      TestCertificates out =
          new TestCertificates(
              dir.resolve("ca.pem"), dir.resolve("server.pem"), dir.resolve("server-key.pem"));
      keytool(ca, "-genkeypair", "-alias", "ca", "-dname", "CN=trellis-test-ca", "-ext", "bc:c");
      keytool(ca, "-exportcert", "-rfc", "-alias", "ca", "-file", out.caPem.toString());
      keytool(server, "-genkeypair", "-alias", "server", "-dname", "CN=127.0.0.1");
      keytool(server, "-certreq", "-alias", "server", "-file", csr.toString());
      keytool(
          ca,
          "-gencert",
          "-rfc",
          "-alias",
          "ca",
          "-infile",
          csr.toString(),
          "-outfile",
          out.serverCertPem.toString(),
          "-ext",
          "san=ip:127.0.0.1,dns:localhost",
          "-ext",
          "eku=serverAuth");
      Files.writeString(out.serverKeyPem, pkcs8Pem(server));
      return out;
    } catch (IOException e) {
      throw new NatsServerException("cannot write test certificates to " + dir, e);
    }
  }

  /** The nats-server config block that requires TLS with this certificate. */
  public String natsTlsBlock() {
    return "tls {\n  cert_file: \""
        + serverCertPem
        + "\"\n  key_file: \""
        + serverKeyPem
        + "\"\n  timeout: 5\n}\n";
  }

  private static void keytool(Path store, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    cmd.addAll(
        List.of("-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD));
    if (args[0].equals("-genkeypair")) {
      cmd.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      byte[] log = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new NatsServerException("keytool " + args[0] + " failed: " + new String(log).strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new NatsServerException("interrupted while running keytool", e);
    }
  }

  private static String pkcs8Pem(Path store) throws IOException {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASSWORD.toCharArray());
      Key key = ks.getKey("server", PASSWORD.toCharArray());
      return "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
          + "\n-----END PRIVATE KEY-----\n";
    } catch (GeneralSecurityException e) {
      throw new NatsServerException("cannot read the generated server key from " + store, e);
    }
  }
}
