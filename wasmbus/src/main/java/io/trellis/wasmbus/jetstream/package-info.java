/** JetStream helpers the protocol's users share: exact compare-and-set on key-value buckets. */
@NullMarked
package io.trellis.wasmbus.jetstream;

import org.jspecify.annotations.NullMarked;
