package io.trellis.host.runtime;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A parsed module and its machine factory, shared by every instance of every actor with the same
 * module hash. Large modules begin on the interpreter and switch to compiled code when the
 * background compilation finishes; pools notice the switch through {@link #generation()}.
 */
final class CompiledCode {
  private static final Logger LOG = LoggerFactory.getLogger(CompiledCode.class);

  private final String hash;
  private final WasmModule module;
  private volatile Function<Instance, Machine> factory;
  private volatile int generation;
  private volatile @Nullable Duration compileTime;
  private final CompletableFuture<Duration> compiled = new CompletableFuture<>();

  CompiledCode(String hash, WasmModule module) {
    this.hash = hash;
    this.module = module;
    this.factory = InterpreterMachine::new;
  }

  public String hash() {
    return hash;
  }

  public WasmModule module() {
    return module;
  }

  public Function<Instance, Machine> factory() {
    return factory;
  }

  /** Bumped when the factory changes, so pools can retire instances built with the old one. */
  public int generation() {
    return generation;
  }

  public boolean isCompiled() {
    return compiled.isDone() && !compiled.isCompletedExceptionally();
  }

  /** How long compiling took, or null while the module still runs interpreted. */
  public @Nullable Duration compileTime() {
    return compileTime;
  }

  /** Completes with the compile time once compiled code is in use. */
  public CompletableFuture<Duration> compilation() {
    return compiled;
  }

  void compileNow(String label) {
    long t0 = System.nanoTime();
    try {
      Function<Instance, Machine> f =
          MachineFactoryCompiler.builder(module)
              .withInterpreterFallback(InterpreterFallback.WARN)
              .compile();
      compileTime = Duration.ofNanos(System.nanoTime() - t0);
      factory = f;
      generation++;
      LOG.info(
          "compiled {} (module {}) in {} ms", label, hash.substring(0, 12), compileTime.toMillis());
      compiled.complete(compileTime);
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("compiling {} failed; it keeps running on the interpreter: {}", label, e.toString());
      compiled.completeExceptionally(e);
    }
  }

  void interpretOnly() {
    compiled.cancel(false);
  }
}
