package io.trellis.host.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.interfaces.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

  @Test
  void eightThreadsTimesAThousandCallsOnFourInstances() throws Exception {
    try (ActorRuntime rt = new ActorRuntime(RuntimeOptions.defaults(), HostCallRouter.unlinked());
        ExecutorService pool = Executors.newFixedThreadPool(8)) {
      Actor echo = rt.start(rt.load(Fixtures.dist("echo")), 4, Map.of());
      ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
      List<Future<?>> futures = new java.util.ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 1000; i++) {
                    String path = "/t" + thread + "/c" + i;
                    byte[] body = ("payload-" + thread + "-" + i).getBytes(StandardCharsets.UTF_8);
                    InvocationResult r =
                        echo.invoke(
                            HttpRequest.OPERATION,
                            new HttpRequest("PUT", path, "q=" + i, Map.of(), body).toMsgPack());
                    if (!(r instanceof InvocationResult.Success s)) {
                      wrong.add(path + " -> " + r);
                      continue;
                    }
                    String json =
                        new String(
                            HttpResponse.fromMsgPack(s.payload()).body(), StandardCharsets.UTF_8);
                    if (!json.contains("\"path\":\"" + path + "\"")
                        || !json.contains("\"query_string\":\"q=" + i + "\"")
                        || !json.contains("\"method\":\"PUT\"")) {
                      wrong.add(path + " -> " + json);
                    }
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
      assertTrue(wrong.isEmpty(), wrong.size() + " wrong responses, e.g. " + wrong.peek());
      assertEquals(4, echo.instanceCount());
      assertEquals(0, echo.busyInstances());
    }
  }
}
