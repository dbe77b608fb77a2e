package io.trellis.wasmbus.rpc;

import io.nats.client.Message;

/** How a plain NATS request (one sent with {@link NatsRequests#request}) ended. */
public sealed interface RequestOutcome permits RequestOutcome.Replied, RequestFailure {

  /** The reply (never a status message). */
  record Replied(Message message) implements RequestOutcome {}
}
