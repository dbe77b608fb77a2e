@NullMarked
package io.trellis.wasmbus.internal;

import org.jspecify.annotations.NullMarked;
