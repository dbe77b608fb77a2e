package io.trellis.host.ctl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** http(s) downloads are bounded in size and in total time, not only until the headers. */
class ArtifactFetcherTest {
  HttpServer server;
  final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/ok.wasm",
        ex -> {
          ex.sendResponseHeaders(200, 3);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(new byte[] {1, 2, 3});
          }
        });
    server.createContext(
        "/stall.wasm",
        ex -> {
          // headers and a first byte at once, then nothing: the request timeout is already
          // satisfied
          ex.sendResponseHeaders(200, 1000);
          OutputStream out = ex.getResponseBody();
          out.write(1);
          out.flush();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.close();
        });
    server.createContext(
        "/big.wasm",
        ex -> {
          ex.sendResponseHeaders(200, 0);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(new byte[2048]);
          }
        });
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Test
  void aStalledDownloadIsCutOffAtItsDeadline() {
    ArtifactFetcher f = new ArtifactFetcher(false, 1 << 20, Duration.ofMillis(250));
    assertArrayEquals(new byte[] {1, 2, 3}, f.fetch(url("/ok.wasm")));
    long t0 = System.nanoTime();
    ArtifactException e = assertThrows(ArtifactException.class, () -> f.fetch(url("/stall.wasm")));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(e.getMessage().contains("did not finish within"), e.getMessage());
    assertTrue(ms < 10_000, "cut off after " + ms + " ms");
  }

  @Test
  void aBodyOverTheLimitIsRefusedWithoutAContentLength() {
    ArtifactFetcher f = new ArtifactFetcher(false, 1024, Duration.ofSeconds(5));
    ArtifactException e = assertThrows(ArtifactException.class, () -> f.fetch(url("/big.wasm")));
    assertTrue(e.getMessage().contains("larger than the limit of 1024 bytes"), e.getMessage());
  }
}
