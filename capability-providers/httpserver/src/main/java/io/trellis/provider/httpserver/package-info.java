@NullMarked
package io.trellis.provider.httpserver;

import org.jspecify.annotations.NullMarked;
