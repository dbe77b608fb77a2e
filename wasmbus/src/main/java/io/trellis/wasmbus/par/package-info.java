@NullMarked
package io.trellis.wasmbus.par;

import org.jspecify.annotations.NullMarked;
