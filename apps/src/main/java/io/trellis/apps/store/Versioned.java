package io.trellis.apps.store;

/** A value read from the store and the revision to write it back with (compare and set). */
public record Versioned<T>(T value, long revision) {}
