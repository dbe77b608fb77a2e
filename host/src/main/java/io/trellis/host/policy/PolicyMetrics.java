package io.trellis.host.policy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * {@code trellis_policy_decisions_total{action, outcome, cached}} and the time policy requests
 * take. Every counter is registered up front, so counting a cached decision allocates nothing.
 */
final class PolicyMetrics {
  private final Counter[][][] decisions;
  private final Timer requests;

  PolicyMetrics(MeterRegistry registry) {
    PolicyAction[] actions = PolicyAction.values();
    Outcome[] outcomes = Outcome.values();
    decisions = new Counter[actions.length][outcomes.length][2];
    for (PolicyAction a : actions) {
      for (Outcome o : outcomes) {
        for (int cached = 0; cached < 2; cached++) {
          decisions[a.ordinal()][o.ordinal()][cached] =
              Counter.builder("trellis.policy.decisions")
                  .description("policy decisions by action and outcome, and whether cached")
                  .tag("action", a.wireName())
                  .tag("outcome", o.tag)
                  .tag("cached", cached == 1 ? "true" : "false")
                  .register(registry);
        }
      }
    }
    requests =
        Timer.builder("trellis.policy.requests")
            .description("requests sent to the policy server, answered or not")
            .register(registry);
  }

  void decided(PolicyAction action, Outcome outcome, boolean cached) {
    decisions[action.ordinal()][outcome.ordinal()][cached ? 1 : 0].increment();
  }

  void requested(long nanos) {
    requests.record(nanos, TimeUnit.NANOSECONDS);
  }
}
