@NullMarked
package io.trellis.apps.service;

import org.jspecify.annotations.NullMarked;
