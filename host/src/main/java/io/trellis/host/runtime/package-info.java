@NullMarked
package io.trellis.host.runtime;

import org.jspecify.annotations.NullMarked;
