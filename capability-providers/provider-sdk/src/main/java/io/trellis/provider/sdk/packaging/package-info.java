@NullMarked
package io.trellis.provider.sdk.packaging;

import org.jspecify.annotations.NullMarked;
