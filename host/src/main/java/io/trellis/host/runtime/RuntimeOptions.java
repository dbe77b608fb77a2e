package io.trellis.host.runtime;

import java.time.Duration;

/**
 * Limits and tuning of the actor runtime.
 *
 * @param engine compiler (default) or interpreter
 * @param callTimeout a guest call running longer is interrupted, its instance replaced
 * @param maxMemoryPages hard cap on an instance's linear memory (64 KiB pages)
 * @param recycleMemoryPages an instance whose memory grew past this is replaced after its call
 * @param headroomPages extra pages reserved when memory is created, so the guest allocator's first
 *     grow does not copy a doubled buffer (see docs/ARCHITECTURE.md)
 * @param queueLimit how many calls may wait for a free instance of one actor
 * @param queueTimeout how long a call waits for a free instance before it is refused
 * @param enforceBuiltinCapabilities whether logging/numbergen need their contract in caps
 * @param backgroundCompileBytes modules at least this large start on the interpreter and switch to
 *     compiled code when compilation finishes
 */
public record RuntimeOptions(
    WasmEngine engine,
    Duration callTimeout,
    int maxMemoryPages,
    int recycleMemoryPages,
    int headroomPages,
    int queueLimit,
    Duration queueTimeout,
    boolean enforceBuiltinCapabilities,
    long backgroundCompileBytes) {

  public RuntimeOptions {
    if (maxMemoryPages < 1 || maxMemoryPages > 65536) {
      throw new IllegalArgumentException("maxMemoryPages must be 1..65536, got " + maxMemoryPages);
    }
    if (callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("callTimeout must be positive, got " + callTimeout);
    }
    if (queueLimit < 0) {
      throw new IllegalArgumentException("queueLimit must be >= 0, got " + queueLimit);
    }
  }

  public static RuntimeOptions defaults() {
    return new RuntimeOptions(
        WasmEngine.fromEnvironment(),
        Duration.ofSeconds(10),
        2048,
        512,
        4,
        1024,
        Duration.ofSeconds(5),
        true,
        4L * 1024 * 1024);
  }

  public RuntimeOptions withEngine(WasmEngine e) {
    return new RuntimeOptions(
        e,
        callTimeout,
        maxMemoryPages,
        recycleMemoryPages,
        headroomPages,
        queueLimit,
        queueTimeout,
        enforceBuiltinCapabilities,
        backgroundCompileBytes);
  }

  public RuntimeOptions withCallTimeout(Duration d) {
    return new RuntimeOptions(
        engine,
        d,
        maxMemoryPages,
        recycleMemoryPages,
        headroomPages,
        queueLimit,
        queueTimeout,
        enforceBuiltinCapabilities,
        backgroundCompileBytes);
  }

  public RuntimeOptions withMemory(int maxPages, int recyclePages) {
    return new RuntimeOptions(
        engine,
        callTimeout,
        maxPages,
        recyclePages,
        headroomPages,
        queueLimit,
        queueTimeout,
        enforceBuiltinCapabilities,
        backgroundCompileBytes);
  }

  public RuntimeOptions withQueue(int limit, Duration timeout) {
    return new RuntimeOptions(
        engine,
        callTimeout,
        maxMemoryPages,
        recycleMemoryPages,
        headroomPages,
        limit,
        timeout,
        enforceBuiltinCapabilities,
        backgroundCompileBytes);
  }

  public RuntimeOptions withEnforceBuiltinCapabilities(boolean enforce) {
    return new RuntimeOptions(
        engine,
        callTimeout,
        maxMemoryPages,
        recycleMemoryPages,
        headroomPages,
        queueLimit,
        queueTimeout,
        enforce,
        backgroundCompileBytes);
  }

  public RuntimeOptions withBackgroundCompileBytes(long bytes) {
    return new RuntimeOptions(
        engine,
        callTimeout,
        maxMemoryPages,
        recycleMemoryPages,
        headroomPages,
        queueLimit,
        queueTimeout,
        enforceBuiltinCapabilities,
        bytes);
  }

  public RuntimeOptions withHeadroomPages(int pages) {
    return new RuntimeOptions(
        engine,
        callTimeout,
        maxMemoryPages,
        recycleMemoryPages,
        pages,
        queueLimit,
        queueTimeout,
        enforceBuiltinCapabilities,
        backgroundCompileBytes);
  }
}
