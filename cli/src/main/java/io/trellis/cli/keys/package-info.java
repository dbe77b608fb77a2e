@NullMarked
package io.trellis.cli.keys;

import org.jspecify.annotations.NullMarked;
