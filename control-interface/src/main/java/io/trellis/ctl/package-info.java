@NullMarked
package io.trellis.ctl;

import org.jspecify.annotations.NullMarked;
