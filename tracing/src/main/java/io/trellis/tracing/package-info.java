/**
 * OpenTelemetry tracing across lattice hops (PROTOCOL.md §16): the SDK set up from the standard
 * {@code OTEL_*} variables, off unless they ask for OTLP, and the bridge between a span and the W3C
 * strings an invocation carries.
 */
@NullMarked
package io.trellis.tracing;

import org.jspecify.annotations.NullMarked;
