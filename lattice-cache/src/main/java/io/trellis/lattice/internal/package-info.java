@NullMarked
package io.trellis.lattice.internal;

import org.jspecify.annotations.NullMarked;
