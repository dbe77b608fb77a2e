package io.trellis.host.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The waPC ABI details, on WAT fixtures that exercise one thing each. */
class AbiTest {
  static final RecordingRouter ROUTER = new RecordingRouter(c -> HostCallResult.ok(new byte[0]));
  static final ActorRuntime RT = new ActorRuntime(RuntimeOptions.defaults(), ROUTER);

  @AfterAll
  static void close() {
    RT.close();
  }

  static String text(InvocationResult r) {
    return new String(
        assertInstanceOf(InvocationResult.Success.class, r).payload(), StandardCharsets.UTF_8);
  }

  @Test
  void wapcNamespaceIsSupported() {
    Actor a = RT.start(RT.load(Fixtures.signedWat("echo_wapc")), 1, Map.of());
    assertEquals("hello wapc", text(a.invoke("Any.Op", "hello wapc".getBytes())));
  }

  @Test
  void initExportsRunOnceInTheSpecOrder() {
    Actor a = RT.start(RT.load(Fixtures.signedWat("init_order")), 1, Map.of());
    // version probe, _initialize, wapc_init, _start
    assertEquals("VIWS", text(a.invoke("X.Y", new byte[0])));
    assertEquals(
        "VIWS", text(a.invoke("X.Y", new byte[0])), "init runs per instance, not per call");
  }

  @Test
  void hostResponsesAndErrorsReachTheGuestIncludingEmptyOnes() {
    Actor a = RT.start(RT.load(Fixtures.signedWat("host_calls", "test:contract")), 1, Map.of());
    ROUTER.answer(c -> HostCallResult.ok("pong".getBytes()));
    assertEquals("OK:pong", text(a.invoke("Run", "Mtarget".getBytes())));
    HostCall seen = ROUTER.calls.getLast();
    assertEquals("default", seen.binding());
    assertEquals("Mtarget", seen.namespace());
    assertEquals("Op.Run", seen.operation());
    assertEquals(0, seen.payload().length);
    ROUTER.answer(c -> HostCallResult.ok(new byte[0]));
    assertEquals("OK:", text(a.invoke("Run", "Mtarget".getBytes())), "zero-length host response");
    ROUTER.answer(c -> HostCallResult.err("boom"));
    assertEquals("ERR:boom", text(a.invoke("Run", "Mtarget".getBytes())));
    ROUTER.answer(c -> HostCallResult.err(""));
    assertEquals("ERR:", text(a.invoke("Run", "Mtarget".getBytes())), "zero-length host error");
  }

  @Test
  void contractCallsWithoutTheCapabilityAreDeniedBeforeRouting() {
    Actor a = RT.start(RT.load(Fixtures.signedWat("host_calls")), 1, Map.of());
    int before = ROUTER.calls.size();
    String out = text(a.invoke("Run", "wasmcloud:keyvalue".getBytes()));
    assertTrue(
        out.startsWith(
            "ERR:Invocation not authorized: missing capability claim for wasmcloud:keyvalue (actor"
                + " M"),
        out);
    assertEquals(before, ROUTER.calls.size(), "a denied call never reaches the router");
  }

  @Test
  void guestErrorsAndSilentFailuresAreReported() {
    Actor a = RT.start(RT.load(Fixtures.signedWat("host_calls")), 1, Map.of());
    InvocationResult.Failure err =
        assertInstanceOf(InvocationResult.Failure.class, a.invoke("Err", "E".getBytes()));
    assertEquals(InvocationResult.Kind.GUEST_ERROR, err.kind());
    assertEquals("guest says no", err.message());
    InvocationResult.Failure silent =
        assertInstanceOf(InvocationResult.Failure.class, a.invoke("Fail", "F".getBytes()));
    assertTrue(silent.message().contains("without an error message"), silent.message());
  }

  @Test
  void unprovidedImportsLinkButTrapWhenCalled() {
    Actor a = RT.start(RT.load(Fixtures.signedWat("env_import")), 1, Map.of());
    InvocationResult.Failure f =
        assertInstanceOf(InvocationResult.Failure.class, a.invoke("Abort", "A".getBytes()));
    assertEquals(InvocationResult.Kind.TRAP, f.kind());
    assertTrue(f.message().contains("env.abort"), f.message());
    assertTrue(a.invoke("Fine", "x".getBytes()).isSuccess(), "the actor keeps serving");
  }
}
