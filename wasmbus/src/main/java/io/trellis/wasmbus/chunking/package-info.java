@NullMarked
package io.trellis.wasmbus.chunking;

import org.jspecify.annotations.NullMarked;
