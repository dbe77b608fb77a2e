package io.trellis.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP forwarder that can {@link #cut()} the network between one client and a server
 * while the server (and everybody else) keeps running: the only way to test what a host does when
 * its own connection drops and the lattice changes behind its back.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start(server.port())) {
 *   Connection a = NatsServer.connect(NatsServer.clientOptionsFor(proxy.url()));
 *   proxy.cut();     // a goes into RECONNECTING, its reconnect attempts are refused
 *   ...              // others change things
 *   proxy.restore(); // a reconnects
 * }
 * }</pre>
 *
 * <p>While cut, accepted connections are closed at once and existing ones are torn down. One
 * platform daemon thread accepts; two per proxied connection copy bytes.
 */
public final class TcpProxy implements AutoCloseable {
  private final int targetPort;
  private final ServerSocket server;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;
  private volatile boolean closed;

  private TcpProxy(int targetPort, ServerSocket server) {
    this.targetPort = targetPort;
    this.server = server;
  }

  /** Listens on a free 127.0.0.1 port and forwards to 127.0.0.1:{@code targetPort}. */
  public static TcpProxy start(int targetPort) {
    try {
      ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      TcpProxy p = new TcpProxy(targetPort, ss);
      Thread t = new Thread(p::acceptLoop, "tcp-proxy-" + ss.getLocalPort());
      t.setDaemon(true);
      t.start();
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a TCP proxy to port " + targetPort, e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code nats://127.0.0.1:PORT} of the proxy. */
  public String url() {
    return "nats://127.0.0.1:" + port();
  }

  /** Tears down every proxied connection and refuses new ones until {@link #restore()}. */
  public void cut() {
    cut = true;
    for (Socket s : open) {
      closeQuietly(s);
    }
  }

  /** Accepts and forwards connections again. */
  public void restore() {
    cut = false;
  }

  public boolean isCut() {
    return cut;
  }

  @Override
  public void close() {
    closed = true;
    cut();
    closeQuietly(server);
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (cut) {
        closeQuietly(client);
        continue;
      }
      try {
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        open.add(client);
        open.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        closeQuietly(client); // target down: the client sees a refused connection
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (SocketException e) {
                // closed by cut() or by the other side
              } catch (IOException e) {
                // same: the pair is torn down below
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
              }
            },
            "tcp-proxy-pump-" + port());
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // nothing useful to do
    }
  }
}
