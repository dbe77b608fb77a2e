@NullMarked
package io.trellis.host;

import org.jspecify.annotations.NullMarked;
