@NullMarked
package io.trellis.provider.messaging;

import org.jspecify.annotations.NullMarked;
