@NullMarked
package io.trellis.wasmbus.subjects;

import org.jspecify.annotations.NullMarked;
