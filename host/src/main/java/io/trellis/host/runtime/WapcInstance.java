package io.trellis.host.runtime;

import com.dylibso.chicory.runtime.ByteBufferMemory;
import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import io.trellis.host.runtime.InvocationResult.Kind;
import io.trellis.wasmbus.rpc.TraceContext;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Chicory instance of an actor with its waPC call state. Never used by two calls at once: the
 * pool hands it to one caller at a time. After a trap or a timeout it is marked unusable and the
 * pool replaces it.
 */
final class WapcInstance implements WasmbusImports.WapcHost, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WapcInstance.class);
  private static final List<String> INIT_EXPORTS =
      List.of("_initialize", "start", "wapc_init", "_start");

  private final ActorModule module;
  private final HostCalls hostCalls;
  private final int generation;
  private final int maxPages;
  private final CallState state = new CallState();
  private final Instance instance;
  private final ExportFunction guestCall;
  private final @Nullable WasiPreview1 wasi;
  private boolean broken;
  private final AtomicBoolean inUse = new AtomicBoolean();

  private WapcInstance(ActorModule module, HostCalls hostCalls, RuntimeOptions options) {
    this.module = module;
    this.hostCalls = hostCalls;
    CompiledCode code = module.code();
    this.generation = code.generation();
    var declared = code.module().memorySection().map(s -> s.getMemory(0).limits()).orElse(null);
    int initial = declared == null ? 0 : declared.initialPages();
    int max =
        Math.min(
            options.maxMemoryPages(),
            declared == null ? options.maxMemoryPages() : declared.maximumPages());
    if (initial > max) {
      throw new ActorLoadException(
          "actor "
              + module.publicKey()
              + " needs "
              + initial
              + " memory pages at start but the limit is "
              + max
              + " pages");
    }
    this.maxPages = max;
    this.wasi = WasmbusImports.needsWasi(module.importPlan()) ? newWasi() : null;
    Map<String, ImportFunction> wasiFns = new HashMap<>();
    if (wasi != null) {
      for (var f : wasi.toHostFunctions()) {
        wasiFns.put(f.module() + "." + f.name(), f);
      }
    }
    List<ImportFunction> fns = WasmbusImports.functions(module.importPlan(), this, wasiFns);
    MemoryLimits limits = new MemoryLimits(initial, max);
    int headroom = options.headroomPages();
    Instance.Builder b =
        Instance.builder(code.module())
            .withImportValues(ImportValues.builder().withFunctions(fns).build())
            .withMachineFactory(code.factory())
            // Chicory would run _start itself; runInit runs it in order (PROTOCOL.md §1.4).
            .withStart(false);
    if (declared != null) {
      b.withMemoryLimits(limits)
          .withMemoryFactory(
              l -> new ByteBufferMemory(l, new HeadroomAllocStrategy(headroom, l.maximumPages())));
    }
    this.instance = b.build();
    this.guestCall = instance.export("__guest_call");
    runInit();
  }

  /**
   * Instantiates and initialises an instance.
   *
   * @throws ActorLoadException when instantiation or an init export fails
   */
  public static WapcInstance create(
      ActorModule module, HostCalls hostCalls, RuntimeOptions options) {
    try {
      return new WapcInstance(module, hostCalls, options);
    } catch (ActorLoadException e) {
      throw e;
    } catch (ChicoryException | StackOverflowError e) {
      throw new ActorLoadException(
          "instantiating actor " + module.publicKey() + " failed: " + e.getMessage(), e);
    }
  }

  private WasiPreview1 newWasi() {
    String who = module.publicKey();
    OutputStream out = new LineLogger("[" + who + " stdout] ");
    OutputStream err = new LineLogger("[" + who + " stderr] ");
    return WasiPreview1.builder()
        .withOptions(
            WasiOptions.builder()
                .withStdout(out)
                .withStderr(err)
                .withArguments(List.of("main.wasm"))
                .build())
        .build();
  }

  /** The version export first (OTP calls it, and some guests set state there), then the inits. */
  private void runInit() {
    for (String name : List.of("__wasmbus_rpc_version", "__actor_api_version")) {
      if (hasExport(name)) {
        instance.export(name).apply();
        break;
      }
    }
    for (String name : INIT_EXPORTS) {
      if (hasExport(name)) {
        try {
          instance.export(name).apply();
        } catch (WasiExitException e) {
          if (e.exitCode() != 0) {
            throw new ActorLoadException(
                "actor "
                    + module.publicKey()
                    + " exited with code "
                    + e.exitCode()
                    + " during "
                    + name);
          }
        }
      }
    }
  }

  private boolean hasExport(String name) {
    var exports = module.code().module().exportSection();
    for (int i = 0; i < exports.exportCount(); i++) {
      if (exports.getExport(i).name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Runs one guest call on the current thread. Never throws for guest misbehaviour. */
  public InvocationResult call(String operation, byte[] payload) {
    return call(operation, payload, null);
  }

  /** {@link #call(String, byte[])} whose host calls continue the trace {@code trace}. */
  public InvocationResult call(String operation, byte[] payload, @Nullable TraceContext trace) {
    if (!inUse.compareAndSet(false, true)) {
      // Defensive: the pool never does this, but a wasm instance must never be re-entered.
      return InvocationResult.failure(
          Kind.INTERNAL,
          "instance of "
              + module.publicKey()
              + " is already executing a call; refusing to re-enter it");
    }
    state.beginGuestCall(operation, payload, trace);
    try {
      long[] r = guestCall.apply(state.operation.length, payload.length);
      int code = r == null || r.length == 0 ? 0 : (int) r[0];
      if (code == 1 && state.guestError == null) {
        byte[] resp = state.guestResponse;
        return InvocationResult.success(resp == null ? new byte[0] : resp);
      }
      String err =
          state.guestError != null
              ? state.guestError
              : "guest call "
                  + operation
                  + " failed (returned "
                  + code
                  + ") without an error message";
      return InvocationResult.failure(Kind.GUEST_ERROR, err);
    } catch (ChicoryInterruptedException e) {
      broken = true;
      return InvocationResult.failure(Kind.TIMEOUT, "interrupted");
    } catch (WasiExitException e) {
      broken = true;
      return InvocationResult.failure(Kind.TRAP, "actor called proc_exit(" + e.exitCode() + ")");
    } catch (ChicoryException e) {
      broken = true;
      return InvocationResult.failure(Kind.TRAP, trapMessage(e.getMessage()));
    } catch (StackOverflowError e) {
      broken = true;
      return InvocationResult.failure(Kind.TRAP, "wasm trap: call stack exhausted");
    } catch (RuntimeException e) {
      broken = true;
      LOG.warn("host fault during {} on actor {}", operation, module.publicKey(), e);
      return InvocationResult.failure(Kind.INTERNAL, "host fault during " + operation + ": " + e);
    } finally {
      state.endCall();
      inUse.set(false);
    }
  }

  private String trapMessage(@Nullable String raw) {
    String msg = "wasm trap: " + (raw == null ? "unknown" : raw);
    int pages = memoryPages();
    // A failed memory.grow is invisible from outside the guest, and Rust guests turn it into an
    // 'unreachable' abort; being near the limit is the best evidence there is, so say so.
    if ((long) pages * 4 >= (long) maxPages * 3) {
      return msg
          + " (memory is at or near its limit of "
          + maxPages
          + " pages = "
          + (maxPages / 16)
          + " MiB, "
          + pages
          + " in use; the actor most likely ran out of memory)";
    }
    return msg + " (memory: " + pages + " of " + maxPages + " pages in use)";
  }

  @Override
  public CallState state() {
    return state;
  }

  @Override
  public int hostCall(String binding, String namespace, String operation, byte[] payload) {
    state.beginHostCall();
    HostCallResult r =
        hostCalls.dispatch(module, binding, namespace, operation, payload, state.trace);
    switch (r) {
      case HostCallResult.Ok ok -> {
        state.hostResponse = ok.payload();
        return 1;
      }
      case HostCallResult.Err err -> {
        state.hostError = err.message().getBytes(StandardCharsets.UTF_8);
        return 0;
      }
    }
  }

  @Override
  public void consoleLog(String text) {
    LoggerFactory.getLogger("io.trellis.actor").info("[{}] {}", module.publicKey(), text);
  }

  public int memoryPages() {
    try {
      return instance.memory() == null ? 0 : instance.memory().pages();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** False after a trap or timeout: the pool must not reuse it. */
  public boolean isUsable() {
    return !broken;
  }

  public int generation() {
    return generation;
  }

  public ActorModule module() {
    return module;
  }

  @Override
  public void close() {
    if (wasi != null) {
      wasi.close();
    }
  }

  /** Forwards guest stdout/stderr to the log one line at a time. */
  private static final class LineLogger extends OutputStream {
    private final String prefix;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineLogger(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public void write(int b) {
      if (b == '\n') {
        flush();
      } else if (line.size() < 8192) {
        line.write(b);
      }
    }

    @Override
    public void flush() {
      if (line.size() > 0) {
        LoggerFactory.getLogger("io.trellis.actor")
            .info("{}{}", prefix, line.toString(StandardCharsets.UTF_8));
        line.reset();
      }
    }
  }
}
