@NullMarked
package io.trellis.wasmbus.ctl;

import org.jspecify.annotations.NullMarked;
