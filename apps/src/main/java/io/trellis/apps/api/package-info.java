@NullMarked
package io.trellis.apps.api;

import org.jspecify.annotations.NullMarked;
