@NullMarked
package io.trellis.apps.internal;

import org.jspecify.annotations.NullMarked;
