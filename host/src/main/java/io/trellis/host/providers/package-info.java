@NullMarked
package io.trellis.host.providers;

import org.jspecify.annotations.NullMarked;
