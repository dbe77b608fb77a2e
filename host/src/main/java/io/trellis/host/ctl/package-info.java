@NullMarked
package io.trellis.host.ctl;

import org.jspecify.annotations.NullMarked;
