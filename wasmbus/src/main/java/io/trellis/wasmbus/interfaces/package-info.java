@NullMarked
package io.trellis.wasmbus.interfaces;

import org.jspecify.annotations.NullMarked;
