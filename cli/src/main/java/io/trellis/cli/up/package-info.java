@NullMarked
package io.trellis.cli.up;

import org.jspecify.annotations.NullMarked;
