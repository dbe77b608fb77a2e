@NullMarked
package io.trellis.cli.host;

import org.jspecify.annotations.NullMarked;
