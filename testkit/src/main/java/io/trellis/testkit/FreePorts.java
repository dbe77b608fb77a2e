package io.trellis.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks free TCP ports on 127.0.0.1 by binding port 0. All sockets of one call stay open until
 * every port is chosen, and a port is handed out at most once per JVM: the kernel may offer a port
 * again as soon as its probe socket is closed, before the server it was meant for binds it, and a
 * topology of several servers (each allocating on its own) then saw two servers given one port.
 * Another process can still take a port before nats-server binds it; {@link NatsServer} retries
 * with fresh ports when that happens.
 */
public final class FreePorts {
  /** Probes per port before giving up: far more than a JVM's share of the ephemeral range needs. */
  private static final int ATTEMPTS = 1000;

  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  public static int[] allocate(int count) {
    List<ServerSocket> sockets = new ArrayList<>(count);
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ports[i] = fresh(sockets);
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot allocate " + count + " free loopback ports", e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing a listening socket we own does not fail in practice
        }
      }
    }
  }

  /** A port this JVM never handed out; its probe socket stays open (in {@code sockets}). */
  private static int fresh(List<ServerSocket> sockets) throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      s.setReuseAddress(true);
      sockets.add(s); // kept open, so the kernel offers another port next time
      if (HANDED_OUT.add(s.getLocalPort())) {
        return s.getLocalPort();
      }
    }
    throw new IOException(
        "no loopback port this JVM has not handed out after " + ATTEMPTS + " tries");
  }

  public static int allocate() {
    return allocate(1)[0];
  }
}
