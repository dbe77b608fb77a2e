@NullMarked
package io.trellis.cli.call;

import org.jspecify.annotations.NullMarked;
