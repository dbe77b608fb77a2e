@NullMarked
package io.trellis.apps.reconcile;

import org.jspecify.annotations.NullMarked;
