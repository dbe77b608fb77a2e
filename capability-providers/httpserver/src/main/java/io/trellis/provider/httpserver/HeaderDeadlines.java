package io.trellis.provider.httpserver;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;

/**
 * The header timeout of one listener: each connection must bring a complete request head within the
 * timeout of opening or of its previous response. Jetty's idle timeout restarts with every byte, so
 * on its own it never cuts a client that trickles its head (slowloris); Jetty has no head deadline,
 * so this keeps one per connection and {@link #expire} closes the late ones with 408. The handler
 * marks each request's start and end; nothing here runs per byte.
 */
final class HeaderDeadlines implements Connection.Listener {
  /** When a connection must have brought its head, and how many bytes it had read before. */
  private record Deadline(long at, long bytesIn) {}

  /** The deadline of a connection whose request is being handled: none. */
  private static final Deadline IN_REQUEST = new Deadline(Long.MAX_VALUE, 0);

  private static final String BODY =
      "Request Timeout: the request head took longer than header_timeout_ms";

  private static final byte[] REQUEST_TIMEOUT =
      ("HTTP/1.1 408 Request Timeout\r\n"
              + "Content-Type: text/plain; charset=utf-8\r\n"
              + "Content-Length: "
              + BODY.length()
              + "\r\nConnection: close\r\n\r\n"
              + BODY)
          .getBytes(StandardCharsets.US_ASCII);

  private final Map<Connection, Deadline> deadlines = new ConcurrentHashMap<>();
  private volatile long timeoutNanos;

  HeaderDeadlines(Duration timeout) {
    timeout(timeout);
  }

  void timeout(Duration timeout) {
    timeoutNanos = timeout.toNanos();
  }

  @Override
  public void onOpened(Connection connection) {
    deadlines.put(connection, next(connection));
  }

  @Override
  public void onClosed(Connection connection) {
    deadlines.remove(connection);
  }

  void requestStarted(Connection connection) {
    deadlines.replace(connection, IN_REQUEST); // replace: a closed connection stays gone
  }

  void requestEnded(Connection connection) {
    deadlines.replace(connection, next(connection));
  }

  private Deadline next(Connection connection) {
    return new Deadline(System.nanoTime() + timeoutNanos, connection.getBytesIn());
  }

  /** Closes every connection past its deadline, with a 408 when it has sent part of a head. */
  void expire(long now) {
    for (Iterator<Map.Entry<Connection, Deadline>> it = deadlines.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<Connection, Deadline> e = it.next();
      Deadline deadline = e.getValue();
      if (deadline != IN_REQUEST && now - deadline.at() >= 0) {
        it.remove();
        Connection connection = e.getKey();
        if (connection.getBytesIn() > deadline.bytesIn()) {
          answerLateAndClose(connection.getEndPoint());
        } else {
          connection.getEndPoint().close();
        }
      }
    }
  }

  private static void answerLateAndClose(EndPoint endPoint) {
    try {
      endPoint.write(
          Callback.from(endPoint::close, failure -> endPoint.close(failure)),
          ByteBuffer.wrap(REQUEST_TIMEOUT));
    } catch (RuntimeException writePending) {
      // a response started at this very moment: the client is no longer late, but it was
      endPoint.close(writePending);
    }
  }
}
