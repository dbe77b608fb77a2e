@NullMarked
package io.trellis.wasmbus.link;

import org.jspecify.annotations.NullMarked;
