@NullMarked
package io.trellis.provider.sdk;

import org.jspecify.annotations.NullMarked;
