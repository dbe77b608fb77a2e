package io.trellis.provider.sdk;

import io.trellis.wasmbus.link.LinkDefinition;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A small provider for SDK tests: echoes, fails on request, calls actors back, records links. */
class RecordingProvider extends CapabilityProvider {
  final List<String> events = new CopyOnWriteArrayList<>();
  volatile boolean stopped;
  volatile boolean started;

  @Override
  public void start() {
    started = true;
  }

  @Override
  public void onLinkPut(LinkDefinition link) {
    if (link.values().containsKey("fail")) {
      throw new IllegalArgumentException("bad link values");
    }
    events.add("put " + link.actorId() + " " + link.values());
  }

  @Override
  public void onLinkDel(LinkDefinition link) {
    events.add("del " + link.actorId() + " " + link.values());
  }

  @Override
  public byte[] handle(String operation, byte[] payload, Caller caller) throws Exception {
    return switch (operation) {
      case "Test.Echo" -> payload;
      case "Test.Big" -> new byte[1024 * 1024 + 7];
      case "Test.Fail" -> throw new IllegalStateException("the handler failed on purpose");
      case "Test.CallBack" -> context().callActor(caller.actorId(), "Test.Pong", payload);
      default -> super.handle(operation, payload, caller);
    };
  }

  @Override
  public void stop() {
    stopped = true;
  }
}
