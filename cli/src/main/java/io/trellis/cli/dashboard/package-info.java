/** {@code trellis dashboard}: the lattice dashboard against any NATS websocket. */
@NullMarked
package io.trellis.cli.dashboard;

import org.jspecify.annotations.NullMarked;
