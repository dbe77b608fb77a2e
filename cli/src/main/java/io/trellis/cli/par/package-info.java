@NullMarked
package io.trellis.cli.par;

import org.jspecify.annotations.NullMarked;
