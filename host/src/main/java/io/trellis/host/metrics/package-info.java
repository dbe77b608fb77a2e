@NullMarked
package io.trellis.host.metrics;

import org.jspecify.annotations.NullMarked;
