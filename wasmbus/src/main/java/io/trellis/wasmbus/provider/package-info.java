@NullMarked
package io.trellis.wasmbus.provider;

import org.jspecify.annotations.NullMarked;
