package io.trellis.host.runtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Captures every routed host call and answers with a test-supplied function. */
public final class RecordingRouter implements HostCallRouter {
  public final List<HostCall> calls = new CopyOnWriteArrayList<>();
  private volatile Function<HostCall, HostCallResult> answer;

  public RecordingRouter(Function<HostCall, HostCallResult> answer) {
    this.answer = answer;
  }

  public void answer(Function<HostCall, HostCallResult> a) {
    this.answer = a;
  }

  @Override
  public HostCallResult route(HostCall call) {
    calls.add(call);
    return answer.apply(call);
  }
}
