/**
 * The policy service client (PROTOCOL.md §10.4): asks a policy server before actors and providers
 * start and before invocations reach an actor, caches its decisions in a bounded cache with a time
 * to live, takes overrides from the changes topic, and denies whenever no usable answer came.
 */
@NullMarked
package io.trellis.host.policy;

import org.jspecify.annotations.NullMarked;
