/**
 * {@code trellis spy}: a live view of one actor's invocations through the tap (PROTOCOL.md §16.3).
 */
@NullMarked
package io.trellis.cli.spy;

import org.jspecify.annotations.NullMarked;
