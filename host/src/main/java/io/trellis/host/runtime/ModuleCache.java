package io.trellis.host.runtime;

import com.dylibso.chicory.wasm.WasmModule;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Compiles each module hash once and shares the result; counts users so the code is dropped when
 * the last actor using it stops. Compilation runs on {@code compiler} threads: inline for small
 * modules (the caller waits), in the background for large ones (the caller starts interpreted).
 */
final class ModuleCache {
  private final WasmEngine engine;
  private final long backgroundBytes;
  private final ExecutorService compiler;
  private final Map<String, Entry> entries = new HashMap<>();

  private record Entry(CompiledCode code, int users) {}

  public ModuleCache(WasmEngine engine, long backgroundBytes, ExecutorService compiler) {
    this.engine = engine;
    this.backgroundBytes = backgroundBytes;
    this.compiler = compiler;
  }

  /**
   * The shared code for {@code hash}, parsing and compiling it on first use; {@code onCompiled}
   * gets the compile time then, and never for a module that was already cached.
   */
  public CompiledCode acquire(
      String hash,
      long sizeBytes,
      String label,
      Supplier<WasmModule> parse,
      Consumer<Duration> onCompiled) {
    CompiledCode code;
    synchronized (entries) {
      Entry e = entries.get(hash);
      if (e != null) {
        entries.put(hash, new Entry(e.code(), e.users() + 1));
        return e.code();
      }
      code = new CompiledCode(hash, parse.get());
      entries.put(hash, new Entry(code, 1));
    }
    code.compilation().thenAccept(onCompiled);
    if (engine == WasmEngine.INTERPRETER) {
      code.interpretOnly();
    } else if (sizeBytes >= backgroundBytes) {
      compiler.execute(() -> code.compileNow(label));
    } else {
      code.compileNow(label);
    }
    return code;
  }

  public void release(String hash) {
    synchronized (entries) {
      Entry e = entries.get(hash);
      if (e == null) {
        return;
      }
      if (e.users() <= 1) {
        entries.remove(hash);
      } else {
        entries.put(hash, new Entry(e.code(), e.users() - 1));
      }
    }
  }

  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  /** Test hook: the users count of a hash (0 when absent). */
  public int users(String hash) {
    synchronized (entries) {
      Entry e = entries.get(hash);
      return e == null ? 0 : e.users();
    }
  }
}
