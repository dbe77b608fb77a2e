@NullMarked
package io.trellis.host.config;

import org.jspecify.annotations.NullMarked;
