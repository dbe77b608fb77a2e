package io.trellis.host.runtime;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trellis.host.metrics.RuntimeMetrics;
import io.trellis.wasmbus.claims.ModuleClaims;
import io.trellis.wasmbus.claims.SignedModule;
import io.trellis.wasmbus.claims.WasmSections;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Loads, verifies and runs WebAssembly actors on Chicory. Each module hash is compiled once and its
 * code shared by every instance; host calls go through one deny-by-default dispatcher to the {@link
 * HostCallRouter}.
 */
public final class ActorRuntime implements AutoCloseable {
  private final RuntimeOptions options;
  private final HostCalls hostCalls;
  private final RuntimeMetrics metrics;
  private final Clock clock;
  private final Watchdog watchdog = new Watchdog();
  private final ExecutorService compiler =
      Executors.newFixedThreadPool(
          1,
          r -> {
            Thread t = new Thread(r, "trellis-compiler");
            t.setDaemon(true);
            return t;
          });
  private final ModuleCache modules;
  private final IdleReaper reaper;

  public ActorRuntime(
      RuntimeOptions options, HostCallRouter router, MeterRegistry registry, Clock clock) {
    this(options, router, new RuntimeMetrics(registry), clock);
  }

  /** With the metrics the host shares with its lattice router. */
  public ActorRuntime(
      RuntimeOptions options, HostCallRouter router, RuntimeMetrics metrics, Clock clock) {
    this.options = options;
    this.hostCalls = new HostCalls(router, options.enforceBuiltinCapabilities());
    this.metrics = metrics;
    this.clock = clock;
    this.modules = new ModuleCache(options.engine(), options.backgroundCompileBytes(), compiler);
    this.reaper = new IdleReaper(options.instanceIdle(), metrics);
  }

  public ActorRuntime(RuntimeOptions options, HostCallRouter router) {
    this(options, router, new SimpleMeterRegistry(), Clock.systemUTC());
  }

  public RuntimeOptions options() {
    return options;
  }

  public ActorModule load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file + " (actor module)");
    }
    return load(Files.readAllBytes(file));
  }

  /**
   * Verifies and prepares a module. Claims failures keep their precise types ({@code
   * NoClaimsException}, {@code InvalidSignatureException}, {@code ModuleHashMismatchException},
   * {@code TokenExpiredException}, {@code TokenNotYetValidException}); anything else wrong with the
   * module is an {@link ActorLoadException} naming the problem.
   */
  public ActorModule load(byte[] bytes) {
    SignedModule signed = ModuleClaims.verify(bytes, clock.instant());
    String key = signed.publicKey();
    CompiledCode code =
        modules.acquire(
            signed.hash(),
            bytes.length,
            signed.metadata().name() + " " + key,
            () -> parse(bytes, key),
            d -> metrics.compileTime(key, d));
    try {
      checkExports(code.module(), key);
      List<WasmbusImports.Binding> plan = WasmbusImports.plan(code.module(), key);
      return new ActorModule(signed, code, plan);
    } catch (RuntimeException e) {
      modules.release(signed.hash());
      throw e;
    }
  }

  private static WasmModule parse(byte[] bytes, String key) {
    try {
      // Custom sections (DWARF can be most of a module) are dropped before Chicory keeps them on
      // the heap; only "name" is kept for readable traps.
      var sections = WasmSections.parse(bytes);
      byte[] lean =
          WasmSections.rebuild(bytes, sections, s -> s.id() != 0 || "name".equals(s.name()));
      return Parser.parse(lean);
    } catch (ChicoryException e) {
      throw new ActorLoadException(
          "actor " + key + " is not a valid WebAssembly module: " + e.getMessage(), e);
    }
  }

  private static void checkExports(WasmModule module, String key) {
    FunctionType guestCallType =
        FunctionType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I32));
    boolean guestCall = false;
    boolean memory = false;
    var exports = module.exportSection();
    for (int i = 0; i < exports.exportCount(); i++) {
      Export e = exports.getExport(i);
      if (e.name().equals("__guest_call") && e.exportType() == ExternalType.FUNCTION) {
        int funcIdx = (int) e.index();
        int imported = module.importSection().count(ExternalType.FUNCTION);
        FunctionType t =
            funcIdx < imported
                ? null
                : module
                    .typeSection()
                    .getType(module.functionSection().getFunctionType(funcIdx - imported));
        if (t == null || !t.typesMatch(guestCallType)) {
          throw new ActorLoadException(
              "actor "
                  + key
                  + " exports __guest_call with type "
                  + t
                  + ", expected (i32, i32) -> i32");
        }
        guestCall = true;
      }
      if (e.name().equals("memory") && e.exportType() == ExternalType.MEMORY) {
        memory = true;
      }
    }
    if (!guestCall) {
      throw new ActorLoadException(
          "actor "
              + key
              + " does not export __guest_call(i32, i32) -> i32:"
              + " it is not a wasmbus/waPC actor");
    }
    if (!memory) {
      throw new ActorLoadException("actor " + key + " does not export its memory as 'memory'");
    }
  }

  /**
   * Starts an actor that runs up to {@code count} instances at once, created when calls need them
   * and released after the idle period ({@link RuntimeOptions#instanceIdle()}). One instance is
   * created and released now, so a module that cannot be instantiated fails here.
   *
   * @throws ActorLoadException if instantiation fails (nothing is left running then)
   */
  public Actor start(ActorModule module, int count, Map<String, String> annotations) {
    if (count < 1) {
      throw new IllegalArgumentException("an actor needs at least 1 instance, got " + count);
    }
    InstancePool pool = new InstancePool(module, hostCalls, options, metrics, watchdog);
    pool.add(count, annotations);
    reaper.watch(pool);
    return new Actor(pool, watchdog, metrics, options.callTimeout());
  }

  /** Drops the shared code of a module once no actor uses it. */
  public void release(ActorModule module) {
    modules.release(module.hash());
  }

  /** The shared module cache (tests read its users count). */
  ModuleCache moduleCache() {
    return modules;
  }

  @Override
  public void close() {
    reaper.close();
    watchdog.close();
    compiler.shutdownNow();
  }
}
