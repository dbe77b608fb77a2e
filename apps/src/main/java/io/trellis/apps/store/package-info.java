@NullMarked
package io.trellis.apps.store;

import org.jspecify.annotations.NullMarked;
