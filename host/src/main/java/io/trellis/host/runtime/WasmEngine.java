package io.trellis.host.runtime;

import java.util.Locale;

/** How wasm is executed: Chicory's bytecode compiler (default) or its interpreter (diagnosis). */
public enum WasmEngine {
  COMPILER,
  INTERPRETER;

  /** Reads {@code TRELLIS_WASM_ENGINE} ({@code compiler} or {@code interpreter}). */
  public static WasmEngine fromEnvironment() {
    String v = System.getenv("TRELLIS_WASM_ENGINE");
    return v == null || v.isBlank() ? COMPILER : parse(v);
  }

  public static WasmEngine parse(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "compiler", "aot", "compiled" -> COMPILER;
      case "interpreter", "interpreted" -> INTERPRETER;
      default ->
          throw new IllegalArgumentException(
              "TRELLIS_WASM_ENGINE='" + value + "' is not one of: compiler, interpreter");
    };
  }
}
