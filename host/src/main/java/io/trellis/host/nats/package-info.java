@NullMarked
package io.trellis.host.nats;

import org.jspecify.annotations.NullMarked;
