@NullMarked
package io.trellis.wasmbus.msgpack;

import org.jspecify.annotations.NullMarked;
