@NullMarked
package io.trellis.cli.ctl;

import org.jspecify.annotations.NullMarked;
