@NullMarked
package io.trellis.cli.claims;

import org.jspecify.annotations.NullMarked;
