package io.trellis.provider.httpclient;

import io.trellis.provider.sdk.Caller;
import io.trellis.provider.sdk.CapabilityProvider;
import io.trellis.provider.sdk.OperationNotHandledException;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.interfaces.HttpClientRequest;
import io.trellis.wasmbus.interfaces.HttpResponse;
import io.trellis.wasmbus.link.LinkDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code wasmcloud:httpclient}: performs an actor's {@code HttpClient.Request} with the JDK's
 * {@link HttpClient} (HTTP/1.1, redirects followed as browsers do) and returns the response (note
 * the plural {@code headers} in the request and singular {@code header} in the response,
 * PROTOCOL.md §5.2). Errors name the URL and the limit or timeout that was hit.
 */
public final class HttpClientProvider extends CapabilityProvider {
  private static final Logger LOG = LoggerFactory.getLogger(HttpClientProvider.class);

  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED =
      Set.of(
          "connection",
          "content-length",
          "expect",
          "host",
          "upgrade",
          "keep-alive",
          "transfer-encoding");

  private final Map<String, ClientSettings> settings = new ConcurrentHashMap<>();
  private final Map<Long, HttpClient> clients = new ConcurrentHashMap<>();

  @Override
  public void onLinkPut(LinkDefinition link) {
    ClientSettings s = ClientSettings.from(link.values(), context().rpcTimeout());
    settings.put(link.actorId(), s);
    LOG.info(
        "actor {}: timeout {} ms, max response {} bytes",
        link.actorId(),
        s.timeout().toMillis(),
        s.maxResponseBytes());
  }

  @Override
  public void onLinkDel(LinkDefinition link) {
    settings.remove(link.actorId());
  }

  @Override
  public byte[] handle(String operation, byte[] payload, Caller caller) throws Exception {
    if (!HttpClientRequest.OPERATION.equals(operation)) {
      throw new OperationNotHandledException(operation);
    }
    ClientSettings s = settings.get(caller.actorId());
    if (s == null) {
      // the SDK only lets linked actors through, so this is a link removed mid-call
      throw new LatticeException(
          "actor " + caller.actorId() + " has no HTTP client settings (link not applied)");
    }
    return perform(HttpClientRequest.fromMsgPack(payload), s).toMsgPack();
  }

  HttpResponse perform(HttpClientRequest r, ClientSettings s) throws InterruptedException {
    URI uri;
    try {
      uri = URI.create(r.url());
    } catch (IllegalArgumentException e) {
      throw new LatticeException("invalid URL '" + r.url() + "': " + e.getMessage());
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equalsIgnoreCase("http")
            || uri.getScheme().equalsIgnoreCase("https"))) {
      throw new LatticeException(
          "invalid URL '" + r.url() + "': only http and https are supported");
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(s.timeout())
            .method(
                r.method().toUpperCase(Locale.ROOT),
                r.body().length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(r.body()));
    for (Map.Entry<String, List<String>> h : r.headers().entrySet()) {
      if (RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String v : h.getValue()) {
        try {
          b.header(h.getKey(), v);
        } catch (IllegalArgumentException e) {
          throw new LatticeException(
              "invalid request header '" + h.getKey() + "': " + e.getMessage());
        }
      }
    }
    HttpClient client =
        clients.computeIfAbsent(
            s.connectTimeout().toMillis(),
            ms ->
                HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(s.connectTimeout())
                    .build());
    Received resp = send(client, b.build(), r, s);
    byte[] body;
    try (InputStream in = resp.body()) {
      body = in.readNBytes((int) s.maxResponseBytes() + 1);
    } catch (IOException e) {
      throw new LatticeException(
          r.method() + " " + r.url() + ": reading the response failed: " + e);
    }
    if (body.length > s.maxResponseBytes()) {
      throw new LatticeException(
          r.method()
              + " "
              + r.url()
              + ": the response body exceeds the limit of "
              + s.maxResponseBytes()
              + " bytes (link value max_response_bytes)");
    }
    Map<String, List<String>> header = new LinkedHashMap<>();
    resp.headers()
        .map()
        .forEach(
            (k, v) -> {
              if (!k.startsWith(":")) {
                header
                    .computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>())
                    .addAll(v);
              }
            });
    return new HttpResponse(resp.status(), header, body);
  }

  /** The JDK's response, without naming its type (wasmbus' HttpResponse has the same name). */
  private record Received(int status, HttpHeaders headers, InputStream body) {}

  private static Received send(
      HttpClient client, HttpRequest request, HttpClientRequest r, ClientSettings s)
      throws InterruptedException {
    try {
      var resp = client.send(request, BodyHandlers.ofInputStream());
      return new Received(resp.statusCode(), resp.headers(), resp.body());
    } catch (HttpConnectTimeoutException e) {
      throw new LatticeException(
          r.method()
              + " "
              + r.url()
              + ": could not connect within "
              + s.connectTimeout().toMillis()
              + " ms (link value connect_timeout_ms)");
    } catch (HttpTimeoutException e) {
      throw new LatticeException(
          r.method()
              + " "
              + r.url()
              + ": no response within "
              + s.timeout().toMillis()
              + " ms (link value timeout_ms)");
    } catch (IOException e) {
      throw new LatticeException(r.method() + " " + r.url() + " failed: " + e);
    }
  }
}
