@NullMarked
package io.trellis.provider.sdk.internal;

import org.jspecify.annotations.NullMarked;
