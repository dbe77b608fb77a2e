@NullMarked
package io.trellis.apps.leader;

import org.jspecify.annotations.NullMarked;
