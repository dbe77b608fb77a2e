@NullMarked
package io.trellis.wasmbus.jwt;

import org.jspecify.annotations.NullMarked;
