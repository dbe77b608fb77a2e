@NullMarked
package io.trellis.host.rpc;

import org.jspecify.annotations.NullMarked;
