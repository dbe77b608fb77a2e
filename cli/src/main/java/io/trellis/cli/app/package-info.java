@NullMarked
package io.trellis.cli.app;

import org.jspecify.annotations.NullMarked;
