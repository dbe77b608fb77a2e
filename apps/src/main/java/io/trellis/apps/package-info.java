@NullMarked
package io.trellis.apps;

import org.jspecify.annotations.NullMarked;
