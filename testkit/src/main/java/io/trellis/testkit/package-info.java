@NullMarked
package io.trellis.testkit;

import org.jspecify.annotations.NullMarked;
