package io.trellis.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Minimal client for nats-server's HTTP monitoring port ({@code /healthz}, {@code /leafz}, {@code
 * /gatewayz}, {@code /jsz}, ...). Only loopback, short timeouts, no dependencies.
 */
final class Monitor {
  private static final int TIMEOUT_MILLIS = 1000;

  private Monitor() {}

  /** The body of {@code GET path} if the server answered 200, else empty (also on I/O errors). */
  static Optional<String> get(int port, String path) {
    HttpURLConnection c = null;
    try {
      c =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
      c.setConnectTimeout(TIMEOUT_MILLIS);
      c.setReadTimeout(TIMEOUT_MILLIS);
      int status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return status == 200 ? Optional.of(body) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } finally {
      if (c != null) {
        c.disconnect();
      }
    }
  }
}
