package io.trellis.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.trellis.wasmbus.LatticeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * Serves the dashboard: the static page from the class path (nats.ws vendored at build time,
 * nothing from the internet) and {@code /config.json} with the {@link DashboardSettings}. The data
 * never passes through here; the page talks to NATS itself.
 *
 * <p>Bound to loopback, it answers only requests whose {@code Host} is a loopback name, so a web
 * page elsewhere cannot read the config through DNS rebinding. Each request runs on a virtual
 * thread: with the JDK server's default executor one slow client would stall every other.
 */
public final class DashboardServer implements AutoCloseable {
  private static final String SITE = "site/";

  private final HttpServer server;
  private final ExecutorService executor;
  private final DashboardSettings settings;
  private final URI url;

  private DashboardServer(HttpServer server, ExecutorService executor, DashboardSettings settings) {
    this.server = server;
    this.executor = executor;
    this.settings = settings;
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().isLoopbackAddress() ? "127.0.0.1" : a.getHostString();
    this.url = URI.create("http://" + host + ":" + a.getPort() + "/");
  }

  /**
   * Starts serving.
   *
   * @param port 0 for any free port
   * @throws LatticeException naming the address when the port is taken
   */
  public static DashboardServer start(DashboardSettings settings, InetAddress bind, int port)
      throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(bind, port), 64);
    } catch (BindException e) {
      throw new LatticeException(
          "cannot serve the dashboard on "
              + bind.getHostAddress()
              + ":"
              + port
              + ": "
              + e.getMessage()
              + "; choose another port",
          e);
    }
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    DashboardServer d = new DashboardServer(server, executor, settings);
    server.createContext("/", d::handle);
    server.start();
    return d;
  }

  /** The page's address, e.g. {@code http://127.0.0.1:3030/}. */
  public URI url() {
    return url;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      ex.getResponseHeaders().add("X-Content-Type-Options", "nosniff");
      ex.getResponseHeaders().add("Referrer-Policy", "no-referrer");
      if (!hostAllowed(ex.getRequestHeaders().getFirst("Host"))) {
        send(
            ex,
            403,
            "text/plain; charset=utf-8",
            "this dashboard answers to 127.0.0.1 and localhost only\n");
        return;
      }
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().add("Allow", "GET, HEAD");
        send(ex, 405, "text/plain; charset=utf-8", "method " + method + " is not allowed\n");
        return;
      }
      String path = ex.getRequestURI().getPath();
      if (path.equals("/config.json")) {
        ex.getResponseHeaders().add("Cache-Control", "no-store");
        send(ex, 200, "application/json", settings.toJson());
        return;
      }
      serveFile(ex, path);
    }
  }

  private void serveFile(HttpExchange ex, String path) throws IOException {
    if (path.contains("..") || path.contains("//") || path.contains("\\")) {
      send(ex, 400, "text/plain; charset=utf-8", "bad path\n");
      return;
    }
    String rel = path.substring(1);
    if (rel.isEmpty() || rel.endsWith("/")) {
      rel = rel + "index.html";
    } else if (!rel.substring(rel.lastIndexOf('/') + 1).contains(".")) {
      // every file has an extension: this names a directory (whose class-path entry is no file)
      if (resource(rel + "/index.html") != null) {
        ex.getResponseHeaders().add("Location", path + "/");
        send(ex, 301, "text/plain; charset=utf-8", "moved to " + path + "/\n");
      } else {
        send(ex, 404, "text/plain; charset=utf-8", "no such file: " + path + "\n");
      }
      return;
    }
    byte[] body = resource(rel);
    if (body == null) {
      send(ex, 404, "text/plain; charset=utf-8", "no such file: " + path + "\n");
      return;
    }
    ex.getResponseHeaders().add("Cache-Control", "no-cache");
    if (rel.endsWith(".html")) {
      ex.getResponseHeaders().add("Content-Security-Policy", contentSecurityPolicy());
    }
    send(ex, 200, contentType(rel), body);
  }

  /**
   * Scripts, styles and images from this server only; connections to it and to the NATS websocket
   * only; no framing, no form posts elsewhere.
   */
  private String contentSecurityPolicy() {
    URI ws = settings.wsUrl();
    String wsOrigin = ws.getScheme() + "://" + ws.getAuthority();
    return "default-src 'self'; connect-src 'self' "
        + wsOrigin
        + "; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none';"
        + " base-uri 'none'; form-action 'none'";
  }

  private boolean hostAllowed(@Nullable String host) {
    InetAddress bound = server.getAddress().getAddress();
    if (!bound.isLoopbackAddress()) {
      return true; // served beyond loopback on purpose: any name may reach it
    }
    if (host == null) {
      return false;
    }
    int port = port();
    return Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port)
        .contains(host.toLowerCase(Locale.ROOT));
  }

  private static byte @Nullable [] resource(String rel) throws IOException {
    try (InputStream in = DashboardServer.class.getResourceAsStream(SITE + rel)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  static String contentType(String name) {
    String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return switch (ext) {
      case "html" -> "text/html; charset=utf-8";
      case "js", "mjs" -> "text/javascript; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "json" -> "application/json";
      case "svg" -> "image/svg+xml";
      case "png" -> "image/png";
      case "ico" -> "image/x-icon";
      case "txt", "md" -> "text/plain; charset=utf-8";
      default -> "application/octet-stream";
    };
  }

  private static void send(HttpExchange ex, int status, String type, String text)
      throws IOException {
    send(ex, status, type, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    ex.getResponseHeaders().add("Content-Type", type);
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
