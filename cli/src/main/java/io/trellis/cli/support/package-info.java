@NullMarked
package io.trellis.cli.support;

import org.jspecify.annotations.NullMarked;
