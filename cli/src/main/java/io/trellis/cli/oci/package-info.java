/** {@code trellis push} and {@code trellis pull}: artifacts in OCI registries (PROTOCOL.md §14). */
@NullMarked
package io.trellis.cli.oci;

import org.jspecify.annotations.NullMarked;
