package io.trellis.provider.sdk.packaging;

import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.par.ProviderArchive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Build-time tool (run by exec-maven-plugin at {@code package}): turns a provider's shaded jar into
 * a signed {@code .par.gz} whose {@code x86_64-linux.bin} and {@code aarch64-linux.bin} are both
 * the same single executable: {@code launcher.sh} followed by the jar.
 *
 * <pre>
 * ParPackager --jar J --capid C --name N --vendor V --rev R --ver X --issuer account.nk
 *             --subject service.nk --out dist/name.par.gz
 * </pre>
 */
public final class ParPackager {
  /** The same bytes serve both: the binary is a shell script plus a jar, not native code. */
  public static final List<String> TARGETS = List.of("x86_64-linux", "aarch64-linux");

  private ParPackager() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> a = parse(args);
    byte[] binary = executable(Files.readAllBytes(Path.of(need(a, "--jar"))));
    ProviderArchive.Builder b =
        ProviderArchive.builder(need(a, "--capid"), need(a, "--name"), need(a, "--vendor"))
            .ver(a.get("--ver"));
    if (a.containsKey("--rev")) {
      b.rev(Integer.parseInt(a.get("--rev")));
    }
    for (String t : TARGETS) {
      b.binary(t, binary);
    }
    KeyPair account =
        KeyPair.fromSeed(Files.readString(Path.of(need(a, "--issuer"))).strip(), KeyType.ACCOUNT);
    KeyPair service =
        KeyPair.fromSeed(Files.readString(Path.of(need(a, "--subject"))).strip(), KeyType.SERVICE);
    ProviderArchive par = b.sign(account, service);
    byte[] bytes = par.toBytes(true);
    ProviderArchive.read(bytes); // never ship an archive our own reader rejects
    Path out = Path.of(need(a, "--out"));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.write(out, bytes);
    System.out.println(
        "[trellis] wrote "
            + out
            + " ("
            + bytes.length
            + " bytes): provider "
            + par.publicKey()
            + " "
            + par.capabilityContractId()
            + ", targets "
            + par.targets());
  }

  /** launcher.sh + jar: a file that is both a shell script and a zip. */
  public static byte[] executable(byte[] jar) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(jar.length + 2048);
    out.write(launcher());
    out.write(jar);
    return out.toByteArray();
  }

  public static byte[] launcher() throws IOException {
    try (InputStream in = ParPackager.class.getResourceAsStream("launcher.sh")) {
      if (in == null) {
        throw new IOException("launcher.sh is missing from the provider SDK jar");
      }
      byte[] script = in.readAllBytes();
      String s = new String(script, StandardCharsets.UTF_8);
      return s.endsWith("\n") ? script : (s + "\n").getBytes(StandardCharsets.UTF_8);
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      m.put(args[i], args[i + 1]);
    }
    return m;
  }

  private static String need(Map<String, String> a, String key) {
    String v = a.get(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("ParPackager needs " + key);
    }
    return v;
  }
}
