package io.trellis.host.runtime;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.ValType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds the waPC functions a module imports, under {@code wasmbus} or {@code wapc}, from the
 * module's own import section (PROTOCOL.md §1.1). Signatures are checked once per module, when the
 * plan is made; instances then only attach their {@link CallState}.
 */
final class WasmbusImports {
  static final Set<String> NAMESPACES = Set.of("wasmbus", "wapc");
  private static final ValType I = ValType.I32;

  static final Map<String, FunctionType> SIGNATURES =
      Map.of(
          "__guest_request", FunctionType.of(List.of(I, I), List.of()),
          "__guest_response", FunctionType.of(List.of(I, I), List.of()),
          "__guest_error", FunctionType.of(List.of(I, I), List.of()),
          "__host_call", FunctionType.of(List.of(I, I, I, I, I, I, I, I), List.of(I)),
          "__host_response_len", FunctionType.of(List.of(), List.of(I)),
          "__host_response", FunctionType.of(List.of(I), List.of()),
          "__host_error_len", FunctionType.of(List.of(), List.of(I)),
          "__host_error", FunctionType.of(List.of(I), List.of()),
          "__console_log", FunctionType.of(List.of(I, I), List.of()));

  /** One function import the module declares, resolved to what the host supplies. */
  public record Binding(String module, String name, FunctionType type, Kind kind) {}

  public enum Kind {
    WAPC,
    WASI,
    TRAP_STUB
  }

  /** The waPC host side of the ABI, which the bound imports call; implemented by the instance. */
  interface WapcHost {
    CallState state();

    /**
     * Performs a host call; returns 1 on success (response stored), 0 on failure (error stored).
     */
    int hostCall(String binding, String namespace, String operation, byte[] payload);

    void consoleLog(String text);
  }

  private WasmbusImports() {}

  /**
   * Plans every function import of the module.
   *
   * @throws ActorLoadException for a waPC import with the wrong signature or an unknown name
   */
  public static List<Binding> plan(WasmModule module, String actorKey) {
    List<Binding> out = new ArrayList<>();
    for (int i = 0; i < module.importSection().importCount(); i++) {
      Import imp = module.importSection().getImport(i);
      if (imp.importType() != ExternalType.FUNCTION) {
        throw new ActorLoadException(
            "actor "
                + actorKey
                + " imports "
                + imp.importType()
                + " '"
                + imp.module()
                + "."
                + imp.name()
                + "'; Trellis provides only functions");
      }
      FunctionType type = module.typeSection().getType(((FunctionImport) imp).typeIndex());
      if (NAMESPACES.contains(imp.module())) {
        FunctionType expected = SIGNATURES.get(imp.name());
        if (expected == null) {
          throw new ActorLoadException(
              "actor "
                  + actorKey
                  + " imports unknown waPC function '"
                  + imp.module()
                  + "."
                  + imp.name()
                  + "'");
        }
        if (!expected.typesMatch(type)) {
          throw new ActorLoadException(
              "actor "
                  + actorKey
                  + " imports '"
                  + imp.module()
                  + "."
                  + imp.name()
                  + "' with type "
                  + type
                  + ", expected "
                  + expected);
        }
        out.add(new Binding(imp.module(), imp.name(), type, Kind.WAPC));
      } else if (imp.module().contains("wasi")) {
        out.add(new Binding(imp.module(), imp.name(), type, Kind.WASI));
      } else {
        // Unknown modules (AssemblyScript env.abort, TinyGo gojs...) link, but trap if called:
        // never pretend to implement something we do not.
        out.add(new Binding(imp.module(), imp.name(), type, Kind.TRAP_STUB));
      }
    }
    return out;
  }

  static boolean needsWasi(List<Binding> plan) {
    return plan.stream().anyMatch(b -> b.kind() == Kind.WASI);
  }

  /** The host functions for one instance. WASI functions come from {@code wasi}. */
  static List<ImportFunction> functions(
      List<Binding> plan, WapcHost host, Map<String, ImportFunction> wasi) {
    List<ImportFunction> fns = new ArrayList<>(plan.size());
    for (Binding b : plan) {
      switch (b.kind()) {
        case WAPC ->
            fns.add(new HostFunction(b.module(), b.name(), b.type(), wapc(b.name(), host)));
        case WASI -> {
          ImportFunction f = wasi.get(b.module() + "." + b.name());
          fns.add(
              f != null
                  ? f
                  : new HostFunction(
                      b.module(),
                      b.name(),
                      b.type(),
                      (inst, args) -> {
                        throw new TrapException(
                            "WASI function "
                                + b.module()
                                + "."
                                + b.name()
                                + " is not provided by Trellis");
                      }));
        }
        case TRAP_STUB ->
            fns.add(
                new HostFunction(
                    b.module(),
                    b.name(),
                    b.type(),
                    (inst, args) -> {
                      throw new TrapException(
                          "actor called import "
                              + b.module()
                              + "."
                              + b.name()
                              + ", which Trellis does not provide");
                    }));
      }
    }
    return fns;
  }

  private static WasmFunctionHandle wapc(String name, WapcHost host) {
    return switch (name) {
      case "__guest_request" ->
          (inst, a) -> {
            CallState s = host.state();
            Memory m = inst.memory();
            m.write((int) a[0], s.operation);
            m.write((int) a[1], s.payload);
            return null;
          };
      case "__guest_response" ->
          (inst, a) -> {
            host.state().guestResponse = inst.memory().readBytes((int) a[0], (int) a[1]);
            return null;
          };
      case "__guest_error" ->
          (inst, a) -> {
            host.state().guestError = utf8(inst, a[0], a[1]);
            return null;
          };
      case "__host_call" ->
          (inst, a) -> {
            String binding = utf8(inst, a[0], a[1]);
            String namespace = utf8(inst, a[2], a[3]);
            String operation = utf8(inst, a[4], a[5]);
            byte[] payload = inst.memory().readBytes((int) a[6], (int) a[7]);
            return new long[] {host.hostCall(binding, namespace, operation, payload)};
          };
      case "__host_response_len" ->
          (inst, a) -> {
            byte[] r = host.state().hostResponse;
            return new long[] {r == null ? 0 : r.length};
          };
      case "__host_response" ->
          (inst, a) -> {
            byte[] r = host.state().hostResponse;
            if (r != null && r.length > 0) {
              inst.memory().write((int) a[0], r);
            }
            return null;
          };
      case "__host_error_len" ->
          (inst, a) -> {
            byte[] e = host.state().hostError;
            return new long[] {e == null ? 0 : e.length};
          };
      case "__host_error" ->
          (inst, a) -> {
            byte[] e = host.state().hostError;
            if (e != null && e.length > 0) {
              inst.memory().write((int) a[0], e);
            }
            return null;
          };
      case "__console_log" ->
          (inst, a) -> {
            host.consoleLog(utf8(inst, a[0], a[1]));
            return null;
          };
      default -> throw new IllegalStateException("unplanned waPC import " + name);
    };
  }

  private static String utf8(Instance inst, long ptr, long len) {
    if (len == 0) {
      return "";
    }
    return new String(inst.memory().readBytes((int) ptr, (int) len), StandardCharsets.UTF_8);
  }
}
