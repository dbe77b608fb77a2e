@NullMarked
package io.trellis.host.events;

import org.jspecify.annotations.NullMarked;
