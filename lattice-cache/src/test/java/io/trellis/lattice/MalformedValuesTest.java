package io.trellis.lattice;

import static io.trellis.lattice.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.trellis.testkit.NatsServer;
import io.trellis.wasmbus.lattice.LatticeKeys;
import io.trellis.wasmbus.link.LinkDefinition;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Values other tools wrote wrongly are logged with their key and skipped; the watch goes on.
 * slf4j-simple writes to System.err, which is captured here to check what was logged.
 */
class MalformedValuesTest {
  static NatsServer nats;
  static Connection host;
  static Connection tool;
  final ByteArrayOutputStream log = new ByteArrayOutputStream();
  PrintStream originalErr;

  @BeforeAll
  static void start() {
    nats = NatsServer.start();
    host = nats.connect();
    tool = nats.connect();
  }

  @AfterAll
  static void stop() throws Exception {
    host.close();
    tool.close();
    nats.close();
  }

  @BeforeEach
  void captureLog() {
    originalErr = System.err;
    System.setErr(new PrintStream(new TeeStream(originalErr, log), true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreLog() {
    System.setErr(originalErr);
  }

  private String logged() {
    return log.toString(StandardCharsets.UTF_8);
  }

  private static final String ACTOR = Fixtures.actor(1);
  private static final String PROVIDER = Fixtures.provider(1);

  private static Map<String, String> badValues() {
    return Map.of(
        "LINKDEF_garbage",
        "{not json at all",
        "LINKDEF_mbob",
        "{\"actor_id\":\"Mbob\",\"provider_id\":\""
            + PROVIDER
            + "\",\"contract_id\":\"wasmcloud:testy\",\"link_name\":\"default\",\"values\":{}}",
        "LINKDEF_numbers",
        "{\"actor_id\":\""
            + ACTOR
            + "\",\"provider_id\":\""
            + PROVIDER
            + "\",\"contract_id\":\"wasmcloud:httpserver\",\"values\":{\"PORT\":8080}}",
        "CLAIMS_" + ACTOR,
        "[1,2,3]",
        "CLAIMS_" + Fixtures.actor(2),
        "{\"sub\":\"" + Fixtures.actor(3) + "\"}",
        "REFMAP_x",
        "{\"oci_url\":\"a/b:1\"}");
  }

  @Test
  void badValuesAreSkippedLiveAndTheWatchKeepsWorking() throws Exception {
    String prefix = Fixtures.prefix("bad");
    try (LatticeCache cache = LatticeCache.connect(host, Fixtures.options(prefix))) {
      Fixtures.RawBucket raw = new Fixtures.RawBucket(tool, prefix);
      for (Map.Entry<String, String> e : badValues().entrySet()) {
        raw.put(e.getKey(), e.getValue());
      }
      raw.put("SOMETHING_else", "{\"anything\":true}");
      LinkDefinition good = Fixtures.link(4, 1, "wasmcloud:keyvalue", "default", Map.of("K", "V"));
      raw.putLink(good);
      await().until(() -> cache.linkById(good.id()).isPresent());
      assertEquals(List.of(good), cache.links());
      assertEquals(List.of(), cache.allClaims());
      assertEquals(List.of(), cache.refMaps());
      await().until(() -> badValues().keySet().stream().allMatch(k -> logged().contains(k)));
      String out = logged();
      assertTrue(out.contains("Mbob"), out);
      assertTrue(out.contains("PORT"), out);
      assertTrue(out.contains(cache.bucketName()), out);
      assertTrue(
          !out.contains("SOMETHING_else"), "unknown prefixes are ignored silently at info level");
      assertTrue(cache.isStoreReachable());
    }
  }

  @Test
  void badValuesAreSkippedAtLoadAndABadOverwriteRemovesTheOldValue() throws Exception {
    String prefix = Fixtures.prefix("bad");
    Fixtures.RawBucket raw;
    LinkDefinition good = Fixtures.link(5, 1, "wasmcloud:keyvalue", "default", Map.of());
    LinkDefinition overwritten = Fixtures.link(6, 1, "wasmcloud:keyvalue", "default", Map.of());
    try (LatticeCache writer = LatticeCache.connect(host, Fixtures.options(prefix))) {
      writer.putLink(good);
      writer.putLink(overwritten);
    }
    raw = new Fixtures.RawBucket(tool, prefix);
    for (Map.Entry<String, String> e : badValues().entrySet()) {
      raw.put(e.getKey(), e.getValue());
    }
    try (LatticeCache cache = LatticeCache.connect(host, Fixtures.options(prefix))) {
      Fixtures.Recorder events = new Fixtures.Recorder();
      cache.addListener(events);
      assertEquals(2, cache.links().size());
      // garbage written over a valid link: the key holds nothing usable any more
      raw.put(LatticeKeys.linkdef(overwritten.id()), "{\"actor_id\":42}");
      assertEquals(overwritten, events.awaitOne(LatticeEvent.LinkDeleted.class, e -> true).link());
      assertEquals(Optional.empty(), cache.linkById(overwritten.id()));
      assertEquals(List.of(good), cache.links());
      assertTrue(logged().contains(LatticeKeys.linkdef(overwritten.id())), logged());
      // and later valid writes still arrive
      LinkDefinition later = Fixtures.link(7, 1, "wasmcloud:keyvalue", "default", Map.of());
      raw.putLink(later);
      await().until(() -> cache.linkById(later.id()).isPresent());
    }
  }

  /** Writes to two streams (the real stderr and the capture). */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
