/** How {@link io.trellis.oci.OciClient} talks to registries and keeps its cache; private. */
@NullMarked
package io.trellis.oci.internal;

import org.jspecify.annotations.NullMarked;
