@NullMarked
package io.trellis.provider.keyvalue;

import org.jspecify.annotations.NullMarked;
