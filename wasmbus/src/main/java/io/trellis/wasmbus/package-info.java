@NullMarked
package io.trellis.wasmbus;

import org.jspecify.annotations.NullMarked;
