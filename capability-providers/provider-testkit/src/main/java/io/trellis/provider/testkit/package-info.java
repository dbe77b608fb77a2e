@NullMarked
package io.trellis.provider.testkit;

import org.jspecify.annotations.NullMarked;
