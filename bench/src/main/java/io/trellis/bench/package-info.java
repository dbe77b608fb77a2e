@NullMarked
package io.trellis.bench;

import org.jspecify.annotations.NullMarked;
