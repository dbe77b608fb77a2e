@NullMarked
package io.trellis.wasmbus.json;

import org.jspecify.annotations.NullMarked;
