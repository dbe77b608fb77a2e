@NullMarked
package io.trellis.wasmbus.nkeys;

import org.jspecify.annotations.NullMarked;
