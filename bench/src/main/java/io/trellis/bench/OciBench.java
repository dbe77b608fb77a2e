package io.trellis.bench;

import io.trellis.ctl.CtlClient;
import io.trellis.host.Host;
import io.trellis.host.config.HostConfigLoader;
import io.trellis.oci.ArtifactKind;
import io.trellis.oci.CredentialSource;
import io.trellis.oci.OciClient;
import io.trellis.oci.OciOptions;
import io.trellis.oci.PushRequest;
import io.trellis.testkit.NatsServer;
import io.trellis.testkit.OciRegistry;
import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * For scripts/bench/oci.sh: one host, one docker-registry, one nats-server on loopback. Starts the
 * same 1.8 MB signed actor over the control interface (start command until actor_started) from a
 * file, from the registry with an empty cache, and from the registry with a warm cache (one
 * manifest request to revalidate the tag), interleaved, and stops it after each start. Also times
 * the pull alone. Args: [ROUNDS] [SIZE_BYTES]
 */
public final class OciBench {
  private OciBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int size = args.length > 1 ? Integer.parseInt(args[1]) : 1_800_000;
    Path dir = Files.createTempDirectory("trellis-oci-bench");
    byte[] module = paddedEcho(size);
    Path file = dir.resolve("big-echo.wasm");
    Files.write(file, module);
    System.out.printf(
        "JDK %s, %d CPUs; module %d bytes (echo + a custom section, signed); %d rounds%n",
        Runtime.version(), Runtime.getRuntime().availableProcessors(), module.length, rounds);
    Path home = dir.resolve("home");
    Path cache = home.resolve("cache").resolve("oci");
    try (NatsServer nats = NatsServer.start();
        OciRegistry reg = OciRegistry.start()) {
      String ref = reg.host() + "/bench/big-echo:1.0.0";
      try (OciClient pusher =
          new OciClient(
              OciOptions.defaults(null).withAllowedInsecure(List.of(reg.host())),
              CredentialSource.none())) {
        pusher.push(ref, module, PushRequest.defaults());
      }
      Map<String, String> env =
          Map.of(
              "WASMCLOUD_RPC_PORT",
              "" + nats.port(),
              "WASMCLOUD_CTL_PORT",
              "" + nats.port(),
              "WASMCLOUD_PROV_RPC_PORT",
              "" + nats.port(),
              "WASMCLOUD_CLUSTER_SEED",
              KeyPair.generate(KeyType.CLUSTER).seed(),
              "WASMCLOUD_ALLOW_FILE_LOAD",
              "true",
              "WASMCLOUD_OCI_ALLOWED_INSECURE",
              reg.host(),
              "TRELLIS_HOME",
              home.toString(),
              "HOST_CONFIG",
              dir.resolve("host_config.json").toString());
      try (Host host = Host.start(HostConfigLoader.load(env, null, Map.of(), dir));
          CtlClient ctl =
              CtlClient.builder().url(nats.url()).timeout(Duration.ofSeconds(10)).build()) {
        String fileRef = file.toUri().toString();
        List<Long> fromFile = new ArrayList<>();
        List<Long> cold = new ArrayList<>();
        List<Long> warm = new ArrayList<>();
        int warmup = 3;
        for (int i = 0; i < warmup + rounds; i++) {
          long f = start(ctl, host, fileRef);
          clear(cache);
          long c = start(ctl, host, ref);
          long w = start(ctl, host, ref);
          if (i >= warmup) {
            fromFile.add(f);
            cold.add(c);
            warm.add(w);
          }
        }
        System.out.println();
        System.out.println(
            "| start (ctl command to actor_started, then stopped) | median | p90 | min |");
        System.out.println("| --- | --- | --- | --- |");
        row("from a file", fromFile);
        row("from the registry, empty cache", cold);
        row("from the registry, warm cache (tag revalidated)", warm);
        // Paired per round (same moment, same machine load): what the registry adds to a start.
        List<Long> warmExtra = new ArrayList<>();
        List<Long> coldExtra = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
          warmExtra.add(warm.get(i) - fromFile.get(i));
          coldExtra.add(cold.get(i) - fromFile.get(i));
        }
        System.out.printf(
            "%nregistry minus file, paired per round (median): warm cache %+.1f ms, empty cache"
                + " %+.1f ms%n",
            median(warmExtra) / 1e6, median(coldExtra) / 1e6);
      }
      pullOnly(reg, ref, dir.resolve("pull-cache"), rounds);
    }
  }

  private static long start(CtlClient ctl, Host host, String ref) {
    long t0 = System.nanoTime();
    String id =
        ctl.startActorAndWait(host.id(), ref, 1, Map.of(), Duration.ofSeconds(60)).actorId();
    long took = System.nanoTime() - t0;
    ctl.stopActor(host.id(), id, 0, Map.of());
    return took;
  }

  private static void pullOnly(OciRegistry reg, String ref, Path cache, int rounds) {
    List<Long> cold = new ArrayList<>();
    List<Long> warm = new ArrayList<>();
    try (OciClient oci =
        new OciClient(
            OciOptions.defaults(cache).withAllowedInsecure(List.of(reg.host())),
            CredentialSource.none())) {
      for (int i = 0; i < 3 + rounds; i++) {
        clear(cache);
        long t0 = System.nanoTime();
        oci.pull(ref, ArtifactKind.ACTOR);
        long t1 = System.nanoTime();
        oci.pull(ref, ArtifactKind.ACTOR);
        long t2 = System.nanoTime();
        if (i >= 3) {
          cold.add(t1 - t0);
          warm.add(t2 - t1);
        }
      }
    }
    System.out.println();
    System.out.println("| pull alone (OciClient, same JVM) | median | p90 | min |");
    System.out.println("| --- | --- | --- | --- |");
    row("empty cache: manifest + blob + verify + store", cold);
    row("warm cache: one manifest request + read", warm);
  }

  private static void clear(Path cache) {
    if (!Files.exists(cache)) {
      return;
    }
    try (Stream<Path> s = Files.walk(cache)) {
      s.sorted(Comparator.reverseOrder())
          .filter(p -> !p.equals(cache))
          .forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double median(List<Long> xs) {
    List<Long> s = xs.stream().sorted().toList();
    return s.get(s.size() / 2);
  }

  private static void row(String what, List<Long> xs) {
    List<Long> s = xs.stream().sorted().toList();
    System.out.printf(
        "| %s | %.1f ms | %.1f ms | %.1f ms |%n",
        what, s.get(s.size() / 2) / 1e6, s.get((int) (s.size() * 0.9)) / 1e6, s.get(0) / 1e6);
  }

  /**
   * The echo sample grown to {@code size} bytes with a custom section of random bytes, signed with
   * fresh keys: the size of a real 1.8 MB actor for fetching, hashing and verifying; the runtime
   * strips custom sections before compiling, so compile time is echo's in every case.
   */
  static byte[] paddedEcho(int size) throws IOException {
    byte[] echo = Files.readAllBytes(Path.of("actors-samples", "dist", "echo.wasm"));
    int pad = Math.max(0, size - echo.length - 2_000);
    byte[] payload = new byte[pad];
    new Random(42).nextBytes(payload);
    ByteArrayOutputStream out = new ByteArrayOutputStream(echo.length + pad + 16);
    out.write(echo);
    byte[] name = "trellis-bench-padding".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream content = new ByteArrayOutputStream(pad + 32);
    leb(content, name.length);
    content.write(name);
    content.write(payload);
    out.write(0);
    leb(out, content.size());
    content.writeTo(out);
    ActorMetadata meta =
        new ActorMetadata(
            "big-echo", null, List.of(), List.of("wasmcloud:httpserver"), 1, "1.0.0", null, false);
    return ModuleClaims.sign(
        out.toByteArray(),
        meta,
        KeyPair.generate(KeyType.ACCOUNT),
        KeyPair.generate(KeyType.MODULE),
        Instant.now().getEpochSecond(),
        "oci-bench",
        null,
        null);
  }

  private static void leb(ByteArrayOutputStream out, int v) {
    do {
      int b = v & 0x7f;
      v >>>= 7;
      out.write(v != 0 ? b | 0x80 : b);
    } while (v != 0);
  }
}
