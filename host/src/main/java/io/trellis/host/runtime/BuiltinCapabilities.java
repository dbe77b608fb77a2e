package io.trellis.host.runtime;

import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.interfaces.Builtins;
import io.trellis.wasmbus.interfaces.Builtins.LogEntry;
import io.trellis.wasmbus.interfaces.Builtins.RangeLimit;
import io.trellis.wasmbus.interfaces.Contracts;
import io.trellis.wasmbus.msgpack.MsgPackValues;
import java.security.SecureRandom;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host-builtin capabilities (PROTOCOL.md §1.5): logging goes to the host log tagged with the
 * actor, numbergen draws from a SecureRandom. Nothing here touches the lattice.
 */
final class BuiltinCapabilities {
  private static final Logger ACTOR_LOG = LoggerFactory.getLogger("io.trellis.actor");
  private static final SecureRandom RANDOM = new SecureRandom();

  private BuiltinCapabilities() {}

  static HostCallResult handle(
      String actorKey, String actorName, String namespace, String operation, byte[] payload) {
    try {
      return switch (namespace) {
        case Contracts.LOGGING -> log(actorKey, actorName, operation, payload);
        case Contracts.NUMBERGEN -> number(operation, payload);
        default -> HostCallResult.err("unknown builtin capability " + namespace);
      };
    } catch (LatticeException e) {
      return HostCallResult.err(namespace + " " + operation + ": " + e.getMessage());
    }
  }

  private static HostCallResult log(
      String actorKey, String actorName, String operation, byte[] payload) {
    if (!Builtins.WRITE_LOG.equals(operation)) {
      return HostCallResult.err(
          "unknown operation "
              + operation
              + " for "
              + Contracts.LOGGING
              + " (expected Logging.WriteLog)");
    }
    LogEntry e = LogEntry.fromMsgPack(payload);
    String who = actorName.isEmpty() ? actorKey : actorName + " " + actorKey;
    switch (e.level()) {
      case "error" -> ACTOR_LOG.error("[{}] {}", who, e.text());
      case "warn" -> ACTOR_LOG.warn("[{}] {}", who, e.text());
      case "info" -> ACTOR_LOG.info("[{}] {}", who, e.text());
      // Unknown levels log at debug, as the Elixir host did (docs/DECISIONS.md).
      default -> ACTOR_LOG.debug("[{}] {}", who, e.text());
    }
    return HostCallResult.ok(new byte[0]);
  }

  private static HostCallResult number(String operation, byte[] payload) {
    return switch (operation) {
      case Builtins.GENERATE_GUID ->
          HostCallResult.ok(MsgPackValues.string(UUID.randomUUID().toString()));
      case Builtins.RANDOM_32 ->
          HostCallResult.ok(MsgPackValues.integer(RANDOM.nextInt() & 0xffffffffL));
      case Builtins.RANDOM_IN_RANGE -> {
        RangeLimit r = RangeLimit.fromMsgPack(payload);
        if (r.min() > r.max() || r.min() < 0 || r.max() > 0xffffffffL) {
          yield HostCallResult.err(
              "NumberGen.RandomInRange: invalid range ["
                  + r.min()
                  + ", "
                  + r.max()
                  + "] (need 0 <= min <= max <= 4294967295)");
        }
        // Inclusive of max, as both OTP implementations are.
        yield HostCallResult.ok(
            MsgPackValues.integer(r.min() + RANDOM.nextLong(r.max() - r.min() + 1)));
      }
      default ->
          HostCallResult.err(
              "unknown operation "
                  + operation
                  + " for "
                  + Contracts.NUMBERGEN
                  + " (expected GenerateGuid, Random32 or RandomInRange)");
    };
  }
}
