@NullMarked
package io.trellis.wasmbus.rpc;

import org.jspecify.annotations.NullMarked;
