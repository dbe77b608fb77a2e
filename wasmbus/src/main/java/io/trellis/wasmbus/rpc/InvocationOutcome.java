package io.trellis.wasmbus.rpc;

/**
 * How an invocation sent with {@link InvocationClient} ended: the callee's {@link
 * InvocationResponse} (success or error, with its full payload), or one of the {@link
 * RequestFailure}s. The response itself is the answered case, so an answered call allocates nothing
 * beyond the decoded response.
 */
public sealed interface InvocationOutcome permits InvocationResponse, RequestFailure {}
