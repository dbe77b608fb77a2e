/**
 * Actors and provider archives in OCI registries (PROTOCOL.md §14): {@link
 * io.trellis.oci.OciReference} parses what users write, {@link io.trellis.oci.OciClient} pulls
 * (through a content-addressed cache) and pushes in wash's layout.
 */
@NullMarked
package io.trellis.oci;

import org.jspecify.annotations.NullMarked;
