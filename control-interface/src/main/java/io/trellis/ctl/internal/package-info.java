@NullMarked
package io.trellis.ctl.internal;

import org.jspecify.annotations.NullMarked;
