package io.trellis.oci;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A registry that misbehaves on purpose (trickles, redirects): behaviour a real registry cannot be
 * made to show. Records the Authorization header of every request.
 */
final class FakeRegistry implements AutoCloseable {
  record Seen(String path, String authorization) {}

  private final HttpServer server;
  final List<Seen> seen = new CopyOnWriteArrayList<>();

  FakeRegistry() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.start();
  }

  void handle(String prefix, HttpHandler h) {
    server.createContext(
        prefix,
        x -> {
          String a = x.getRequestHeaders().getFirst("Authorization");
          seen.add(new Seen(x.getRequestURI().getPath(), a == null ? "" : a));
          h.handle(x);
        });
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** {@code 127.0.0.1:PORT}. */
  String host() {
    return "127.0.0.1:" + port();
  }

  static void send(HttpExchange x, int status, String contentType, byte[] body) throws IOException {
    if (contentType != null) {
      x.getResponseHeaders().set("Content-Type", contentType);
    }
    x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
