package io.trellis.cli.support;

/** {@code -o text|json}. */
public enum OutputFormat {
  text,
  json
}
