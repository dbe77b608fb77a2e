@NullMarked
package io.trellis.host.runtime.internal;

import org.jspecify.annotations.NullMarked;
