package io.trellis.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks free TCP ports on 127.0.0.1 by binding port 0. All sockets of one call stay open until
 * every port is chosen, so one call never returns the same port twice. Another process can still
 * take a port before nats-server binds it; {@link NatsServer} retries with fresh ports when that
 * happens.
 */
public final class FreePorts {
  private FreePorts() {}

  public static int[] allocate(int count) {
    List<ServerSocket> sockets = new ArrayList<>(count);
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        s.setReuseAddress(true);
        sockets.add(s);
        ports[i] = s.getLocalPort();
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

  public static int allocate() {
    return allocate(1)[0];
  }
}
