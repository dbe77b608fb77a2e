package io.trellis.provider.httpserver;

import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.interfaces.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * Jetty handler for every listener: finds the listener by the connector the request came in on and
 * the link by the request's path (PROTOCOL.md §18), applies that link's CORS and body limit,
 * forwards, and writes the actor's response.
 */
final class ActorHandler extends Handler.Abstract {
  /** Hop-by-hop and framing headers are Jetty's business, never the actor's. */
  private static final Set<String> SKIPPED =
      Set.of("content-length", "transfer-encoding", "connection", "keep-alive");

  private final Map<Connector, Listeners.Site> sites;

  ActorHandler(Map<Connector, Listeners.Site> sites) {
    super(InvocationType.BLOCKING); // run on a virtual thread: forwarding blocks on NATS
    this.sites = sites;
  }

  @Override
  public boolean handle(Request request, Response response, Callback given) throws Exception {
    Listeners.Site site = sites.get(request.getConnectionMetaData().getConnector());
    Callback callback = given;
    if (site != null) {
      // the header timeout stops while this request is handled and starts again after its response
      Connection connection = request.getConnectionMetaData().getConnection();
      HeaderDeadlines deadlines = site.deadlines();
      deadlines.requestStarted(connection);
      callback = Callback.from(given, () -> deadlines.requestEnded(connection));
    }
    RouteTable routes = site == null ? RouteTable.EMPTY : site.routes();
    if (routes.isEmpty()) {
      write(
          response,
          callback,
          RequestForwarder.text(503, "Service Unavailable: this listener is closing"),
          null,
          null);
      return true;
    }
    // routes match the decoded path with dot segments resolved, so "/v1/pages/../tables/1" is
    // routed as the "/v1/tables/1" it means; the actor still gets the path as sent
    String path = request.getHttpURI().getCanonicalPath();
    if (path == null) {
      write(
          response,
          callback,
          RequestForwarder.text(400, "Bad Request: the path leaves the root"),
          null,
          null);
      return true;
    }
    RequestForwarder forwarder = routes.find(path);
    if (forwarder == null) {
      write(
          response,
          callback,
          RequestForwarder.text(404, "Not Found: no route for " + request.getHttpURI().getPath()),
          null,
          null);
      return true;
    }
    ServerSettings settings = forwarder.settings();
    CorsPolicy cors = settings.cors();
    HttpFields headers = request.getHeaders();
    String origin = headers.get(HttpHeader.ORIGIN);
    String method = request.getMethod().toUpperCase(Locale.ROOT);
    if (CorsPolicy.isPreflight(
        method, origin, headers.get(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD))) {
      preflight(request, response, callback, cors, origin);
      return true;
    }
    String refused = origin == null ? null : cors.refuseOrigin(origin);
    if (refused != null) {
      write(response, callback, RequestForwarder.text(403, refused), null, null);
      return true;
    }
    long declared = request.getLength();
    if (declared > settings.maxContentLength()) {
      tooLarge(response, callback, settings);
      return true;
    }
    byte[] body = readAtMost(request, settings.maxContentLength());
    if (body == null) {
      tooLarge(response, callback, settings);
      return true;
    }
    // waiting for the actor is not idleness: only the link's timeout_ms (504) ends that wait.
    // Jetty 12.1 already ignores an idle timeout while no read or write is pending; this keeps it
    // so (HttpConnectionsTest.aRequestWaitingForItsActorOutlivesBothTimeouts)
    request.addIdleTimeoutListener(timeout -> false);
    String query = request.getHttpURI().getQuery();
    HttpRequest forwarded =
        new HttpRequest(
            method,
            request.getHttpURI().getPath(),
            query == null ? "" : query,
            headerMap(headers),
            body);
    write(response, callback, forwarder.forward(forwarded), origin == null ? null : cors, origin);
    return true;
  }

  private static void preflight(
      Request request, Response response, Callback callback, CorsPolicy cors, String origin) {
    HttpFields h = request.getHeaders();
    String refused =
        cors.refusePreflight(
            origin,
            h.get(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD),
            h.get(HttpHeader.ACCESS_CONTROL_REQUEST_HEADERS));
    if (refused != null) {
      write(response, callback, RequestForwarder.text(403, refused), null, null);
      return;
    }
    HttpFields.Mutable out = response.getHeaders();
    out.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    out.put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, cors.methodsHeader());
    if (!cors.allowedHeaders().isEmpty()) {
      out.put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, cors.headersHeader());
    }
    out.put(HttpHeader.ACCESS_CONTROL_MAX_AGE, Long.toString(cors.maxAgeSecs()));
    out.put(
        HttpHeader.VARY, "origin, access-control-request-method, access-control-request-headers");
    response.setStatus(200);
    out.put(HttpHeader.CONTENT_LENGTH, 0L);
    response.write(true, null, callback);
  }

  private static void tooLarge(Response response, Callback callback, ServerSettings settings) {
    response.getHeaders().put(HttpHeader.CONNECTION, "close"); // the body is left unread
    write(
        response,
        callback,
        RequestForwarder.text(
            413,
            "Payload Too Large: the body exceeds "
                + settings.maxContentLength()
                + " bytes (link value max_content_len)"),
        null,
        null);
  }

  /** The body, or null when it is longer than {@code max}. */
  private static byte @Nullable [] readAtMost(Request request, long max) throws IOException {
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] b = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 16));
      return b.length > max ? null : b;
    }
  }

  private static Map<String, List<String>> headerMap(HttpFields fields) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (HttpField f : fields) {
      m.computeIfAbsent(f.getLowerCaseName(), k -> new ArrayList<>()).add(f.getValue());
    }
    return m;
  }

  private static void write(
      Response response,
      Callback callback,
      HttpResponse r,
      @Nullable CorsPolicy cors,
      @Nullable String origin) {
    response.setStatus(r.statusCode());
    HttpFields.Mutable out = response.getHeaders();
    for (Map.Entry<String, List<String>> e : r.header().entrySet()) {
      if (SKIPPED.contains(e.getKey().toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String v : e.getValue()) {
        try {
          out.add(e.getKey(), v);
        } catch (IllegalArgumentException bad) {
          // an invalid name or value from the actor: send the response without it
        }
      }
    }
    if (cors != null) {
      out.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
      out.add(HttpHeader.VARY, "origin");
      if (!cors.exposedHeaders().isEmpty()) {
        out.put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, cors.exposedHeader());
      }
    }
    out.put(HttpHeader.CONTENT_LENGTH, (long) r.body().length);
    response.write(true, ByteBuffer.wrap(r.body()), callback);
  }
}
