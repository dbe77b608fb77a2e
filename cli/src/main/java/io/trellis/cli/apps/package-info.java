@NullMarked
package io.trellis.cli.apps;

import org.jspecify.annotations.NullMarked;
