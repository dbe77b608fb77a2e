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
 * @param instanceIdle a wasm instance unused this long is released; an actor's count is the most
 *     instances that run at once, and they are created again when calls need them
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
    long backgroundCompileBytes,
    Duration instanceIdle) {

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
    if (instanceIdle.isNegative() || instanceIdle.isZero()) {
      throw new IllegalArgumentException("instanceIdle must be positive, got " + instanceIdle);
    }
  }

  /** How long an unused instance is kept by default (the host's {@code instance_idle_ms}). */
  public static final Duration DEFAULT_INSTANCE_IDLE = Duration.ofSeconds(60);

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
        4L * 1024 * 1024,
        DEFAULT_INSTANCE_IDLE);
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
        backgroundCompileBytes,
        instanceIdle);
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
        backgroundCompileBytes,
        instanceIdle);
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
        backgroundCompileBytes,
        instanceIdle);
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
        backgroundCompileBytes,
        instanceIdle);
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
        backgroundCompileBytes,
        instanceIdle);
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
        bytes,
        instanceIdle);
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
        backgroundCompileBytes,
        instanceIdle);
  }

  public RuntimeOptions withInstanceIdle(Duration idle) {
    return new RuntimeOptions(
        engine,
        callTimeout,
        maxMemoryPages,
        recycleMemoryPages,
        headroomPages,
        queueLimit,
        queueTimeout,
        enforceBuiltinCapabilities,
        backgroundCompileBytes,
        idle);
  }
}
