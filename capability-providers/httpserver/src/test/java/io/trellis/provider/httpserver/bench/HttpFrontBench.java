package io.trellis.provider.httpserver.bench;

import com.sun.net.httpserver.HttpServer;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.interfaces.HttpResponse;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * The HTTP front end candidates of the httpserver provider, measured by scripts/bench/http.sh with
 * wrk: Jetty 12 (core API, virtual threads) vs the JDK's com.sun.net.httpserver (virtual-thread
 * executor). Each request builds the provider's msgpack HttpRequest; in {@code nats} mode it also
 * makes the NATS request/reply round trip to an echo responder, which is what the provider does for
 * every request, so the numbers show how much the server choice matters end to end.
 *
 * <pre>HttpFrontBench jetty|jdk PORT plain|nats [NATS_URL]</pre>
 */
public final class HttpFrontBench {
  private static final byte[] HELLO = "hello from the bench\n".getBytes(StandardCharsets.UTF_8);

  private HttpFrontBench() {}

  public static void main(String[] args) throws Exception {
    String kind = args[0];
    int port = Integer.parseInt(args[1]);
    boolean viaNats = args[2].equals("nats");
    Connection nc = viaNats ? Nats.connect(args[3]) : null;
    if (nc != null) {
      Connection responder = Nats.connect(args[3]);
      Dispatcher d =
          responder.createDispatcher(
              m -> {
                HttpRequest r = HttpRequest.fromMsgPack(m.getData());
                responder.publish(
                    m.getReplyTo(),
                    new HttpResponse(
                            200,
                            Map.of("content-type", List.of("text/plain")),
                            (r.path() + " " + new String(HELLO, StandardCharsets.UTF_8))
                                .getBytes(StandardCharsets.UTF_8))
                        .toMsgPack());
              });
      d.subscribe("bench.echo");
      responder.flush(Duration.ofSeconds(2));
    }
    long t0 = System.nanoTime();
    switch (kind) {
      case "jetty" -> jetty(port, nc);
      case "jdk" -> jdk(port, nc);
      default -> throw new IllegalArgumentException(kind);
    }
    System.out.printf(
        "READY %s on %d (%s) started in %.1f ms%n",
        kind, port, args[2], (System.nanoTime() - t0) / 1e6);
    new CountDownLatch(1).await();
  }

  static byte[] answer(
      String method,
      String path,
      String query,
      Map<String, List<String>> headers,
      byte[] body,
      Connection nc)
      throws Exception {
    byte[] req = new HttpRequest(method, path, query, headers, body).toMsgPack();
    if (nc == null) {
      return HELLO;
    }
    Message m = nc.request("bench.echo", req, Duration.ofSeconds(5));
    return HttpResponse.fromMsgPack(m.getData()).body();
  }

  static void jetty(int port, Connection nc) throws Exception {
    QueuedThreadPool pool = new QueuedThreadPool();
    pool.setVirtualThreadsExecutor(new VirtualThreadPool());
    Server server = new Server(pool);
    ServerConnector c = new ServerConnector(server);
    c.setHost("127.0.0.1");
    c.setPort(port);
    server.addConnector(c);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            byte[] body;
            try (InputStream in = Request.asInputStream(request)) {
              body = in.readAllBytes();
            }
            Map<String, List<String>> headers = new java.util.HashMap<>();
            request
                .getHeaders()
                .forEach(
                    f ->
                        headers
                            .computeIfAbsent(f.getLowerCaseName(), k -> new java.util.ArrayList<>())
                            .add(f.getValue()));
            String q = request.getHttpURI().getQuery();
            byte[] out =
                answer(
                    request.getMethod(),
                    request.getHttpURI().getPath(),
                    q == null ? "" : q,
                    headers,
                    body,
                    nc);
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
            response.write(true, ByteBuffer.wrap(out), callback);
            return true;
          }
        });
    server.start();
  }

  static void jdk(int port, Connection nc) throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    s.createContext(
        "/",
        ex -> {
          try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new java.util.HashMap<>();
            ex.getRequestHeaders()
                .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
            String q = ex.getRequestURI().getRawQuery();
            byte[] out =
                answer(
                    ex.getRequestMethod(),
                    ex.getRequestURI().getRawPath(),
                    q == null ? "" : q,
                    headers,
                    body,
                    nc);
            ex.getResponseHeaders().add("content-type", "text/plain");
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
          } catch (Exception e) {
            throw new java.io.IOException(e);
          }
        });
    s.start();
  }
}
