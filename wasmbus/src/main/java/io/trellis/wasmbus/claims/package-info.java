@NullMarked
package io.trellis.wasmbus.claims;

import org.jspecify.annotations.NullMarked;
