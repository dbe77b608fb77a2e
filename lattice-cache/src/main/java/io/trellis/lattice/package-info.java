@NullMarked
package io.trellis.lattice;

import org.jspecify.annotations.NullMarked;
