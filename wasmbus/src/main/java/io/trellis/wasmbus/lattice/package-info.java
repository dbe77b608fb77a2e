@NullMarked
package io.trellis.wasmbus.lattice;

import org.jspecify.annotations.NullMarked;
