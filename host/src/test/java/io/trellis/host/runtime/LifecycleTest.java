package io.trellis.host.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.wasmbus.claims.ActorMetadata;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Scaling with annotations, live update, engines and background compilation. */
class LifecycleTest {

  @Test
  void instancesAreAddedAndRemovedByAnnotation() {
    try (ActorRuntime rt = new ActorRuntime(RuntimeOptions.defaults(), HostCallRouter.unlinked())) {
      Actor a = rt.start(rt.load(Fixtures.dist("ponger")), 2, Map.of("team", "a"));
      a.addInstances(3, Map.of("team", "b"));
      assertEquals(5, a.instanceCount());
      assertEquals(
          3, a.instances().stream().filter(i -> "b".equals(i.annotations().get("team"))).count());
      assertEquals(2, a.removeInstances(0, Map.of("team", "a")).size());
      assertEquals(3, a.instanceCount());
      a.scale(1, Map.of());
      assertEquals(1, a.instanceCount());
      a.scale(4, Map.of("team", "c"));
      assertEquals(4, a.instanceCount());
      assertTrue(a.invoke("Pingpong.Ping", new byte[0]).isSuccess());
      assertThrows(IllegalArgumentException.class, () -> a.scale(-1, Map.of()));
    }
  }

  @Test
  void liveUpdateSwapsCodeWithoutFailingCalls() throws Exception {
    KeyPair moduleKey = KeyPair.generate(KeyType.MODULE);
    byte[] raw = Fixtures.dist("echo");
    byte[] v1 =
        ModuleClaims.sign(
            raw,
            meta(1),
            Fixtures.ACCOUNT,
            moduleKey,
            Instant.now().getEpochSecond(),
            "v1",
            null,
            null);
    byte[] v2 =
        ModuleClaims.sign(
            raw,
            meta(2),
            Fixtures.ACCOUNT,
            moduleKey,
            Instant.now().getEpochSecond(),
            "v2",
            null,
            null);
    try (ActorRuntime rt = new ActorRuntime(RuntimeOptions.defaults(), HostCallRouter.unlinked())) {
      Actor a = rt.start(rt.load(v1), 3, Map.of());
      AtomicBoolean run = new AtomicBoolean(true);
      AtomicInteger ok = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      List<Thread> loaders = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        loaders.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      while (run.get() && ok.get() < 200_000) {
                        if (a.invoke(
                                HttpRequest.OPERATION,
                                new HttpRequest("GET", "/", "", Map.of(), new byte[0]).toMsgPack())
                            .isSuccess()) {
                          ok.incrementAndGet();
                        } else {
                          failed.incrementAndGet();
                        }
                      }
                    }));
      }
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() > 500);
      a.update(rt.load(v2));
      assertEquals(2, a.module().revision());
      int atUpdate = ok.get();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() > atUpdate + 500);
      run.set(false);
      for (Thread t : loaders) {
        t.join(10_000);
      }
      assertEquals(0, failed.get(), "no call may fail across a live update");
      assertTrue(a.instances().stream().allMatch(i -> i.revision() == 2));
      KeyPair other = KeyPair.generate(KeyType.MODULE);
      byte[] foreign =
          ModuleClaims.sign(
              raw,
              meta(3),
              Fixtures.ACCOUNT,
              other,
              Instant.now().getEpochSecond(),
              "x",
              null,
              null);
      assertThrows(ActorLoadException.class, () -> a.update(rt.load(foreign)));
    }
  }

  @Test
  void aLiveUpdateToCodeThatCannotStartKeepsTheRunningCode() {
    KeyPair moduleKey = KeyPair.generate(KeyType.MODULE);
    byte[] v1 =
        ModuleClaims.sign(
            Fixtures.dist("echo"),
            meta(1),
            Fixtures.ACCOUNT,
            moduleKey,
            Instant.now().getEpochSecond(),
            "v1",
            null,
            null);
    byte[] broken =
        ModuleClaims.sign(
            Fixtures.wat("init_trap"),
            meta(2),
            Fixtures.ACCOUNT,
            moduleKey,
            Instant.now().getEpochSecond(),
            "v2",
            null,
            null);
    try (ActorRuntime rt = new ActorRuntime(RuntimeOptions.defaults(), HostCallRouter.unlinked())) {
      Actor a = rt.start(rt.load(v1), 2, Map.of());
      ActorLoadException e =
          assertThrows(ActorLoadException.class, () -> a.update(rt.load(broken)));
      assertTrue(e.getMessage().contains(moduleKey.publicKey()), e.getMessage());
      assertEquals(1, a.module().revision(), "the old module stays current");
      assertEquals(2, a.instanceCount());
      assertTrue(a.instances().stream().allMatch(i -> i.revision() == 1));
      for (int i = 0; i < 4; i++) {
        assertTrue(
            a.invoke(
                    HttpRequest.OPERATION,
                    new HttpRequest("GET", "/", "", Map.of(), new byte[0]).toMsgPack())
                .isSuccess());
      }
    }
  }

  static ActorMetadata meta(int rev) {
    return new ActorMetadata(
        "echo", null, List.of(), List.of("wasmcloud:httpserver"), rev, "0." + rev, null, false);
  }

  @Test
  void interpreterEngineRunsTheSameActors() {
    try (ActorRuntime rt =
        new ActorRuntime(
            RuntimeOptions.defaults().withEngine(WasmEngine.INTERPRETER),
            HostCallRouter.unlinked())) {
      ActorModule m = rt.load(Fixtures.dist("echo"));
      assertFalse(m.isCompiled());
      Actor a = rt.start(m, 1, Map.of());
      assertTrue(
          a.invoke(
                  HttpRequest.OPERATION,
                  new HttpRequest("GET", "/", "", Map.of(), new byte[0]).toMsgPack())
              .isSuccess());
    }
    assertEquals(WasmEngine.INTERPRETER, WasmEngine.parse(" Interpreter "));
    assertThrows(IllegalArgumentException.class, () -> WasmEngine.parse("jit"));
  }

  @Test
  void largeModulesStartInterpretedAndSwitchToCompiledCode() {
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    try (ActorRuntime rt =
        new ActorRuntime(
            RuntimeOptions.defaults().withBackgroundCompileBytes(1),
            HostCallRouter.unlinked(),
            registry,
            java.time.Clock.systemUTC())) {
      ActorModule m = rt.load(Fixtures.dist("hasher"));
      Actor a = rt.start(m, 2, Map.of());
      assertTrue(
          a.invoke("Actor.HealthRequest", new byte[] {(byte) 0x80}).isSuccess(),
          "serves before compilation ends");
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(m::isCompiled);
      assertTrue(m.code().compileTime().toNanos() > 0);
      for (int i = 0; i < 10; i++) {
        assertTrue(a.invoke("Actor.HealthRequest", new byte[] {(byte) 0x80}).isSuccess());
      }
      // the interpreted instances are swapped for compiled ones as they are used
      var swapped =
          registry.find("trellis.actor.instances.replaced").tag("reason", "code_update").counter();
      assertTrue(swapped != null && swapped.count() >= 1, "instances moved to the compiled code");
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  registry.find("trellis.actor.compile").timer() != null
                      && registry.find("trellis.actor.compile").timer().count() == 1);
      rt.release(rt.load(Fixtures.dist("hasher")));
      assertEquals(
          1,
          registry.find("trellis.actor.compile").timer().count(),
          "a second load of cached code is not a compile");
    }
  }
}
