@NullMarked
package io.trellis.cli;

import org.jspecify.annotations.NullMarked;
