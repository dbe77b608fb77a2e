@NullMarked
package io.trellis.host.actors;

import org.jspecify.annotations.NullMarked;
