@NullMarked
package io.trellis.provider.httpclient;

import org.jspecify.annotations.NullMarked;
