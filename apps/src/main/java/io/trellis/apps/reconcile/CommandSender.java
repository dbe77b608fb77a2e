package io.trellis.apps.reconcile;

import io.nats.client.Connection;
import io.trellis.apps.internal.Workers;
import io.trellis.ctl.CtlClient;
import io.trellis.ctl.CtlException;
import io.trellis.ctl.CtlTimeoutException;
import io.trellis.wasmbus.ctl.Ack;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a pass's commands through the control interface, all at once (one slow or dead host must
 * not hold up the others), each only while this reconciler still leads. An accepted command becomes
 * an expectation (damping); a refused or unanswered one a failure, with the host's error.
 */
final class CommandSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommandSender.class);

  private final CtlClient ctl;
  private final Expectations expectations;
  private final Failures failures;
  private final ReconcilerSettings settings;
  private final BooleanSupplier leading;
  private final Clock clock;
  private final ExecutorService pool = Workers.pool("trellis-apps-command", 8);

  CommandSender(
      CtlClient ctl,
      Expectations expectations,
      Failures failures,
      ReconcilerSettings settings,
      BooleanSupplier leading,
      Clock clock) {
    this.ctl = ctl;
    this.expectations = expectations;
    this.failures = failures;
    this.settings = settings;
    this.leading = leading;
    this.clock = clock;
  }

  /** Sends every command and waits for their acks; returns how many were accepted. */
  int send(List<Command> commands) {
    List<Future<Boolean>> acks = new ArrayList<>();
    for (Command c : commands) {
      acks.add(pool.submit(() -> sendOne(c)));
    }
    int ok = 0;
    for (Future<Boolean> f : acks) {
      try {
        if (f.get(ctl.timeout().toMillis() * 2 + 1000, TimeUnit.MILLISECONDS)) {
          ok++;
        }
      } catch (ExecutionException | TimeoutException e) {
        LOG.debug("a command did not finish: {}", e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return ok;
  }

  private boolean sendOne(Command c) {
    if (!leading.getAsBoolean()) {
      return false; // never act without a lease that is certainly still ours
    }
    if (ctl.connection().getStatus() != Connection.Status.CONNECTED) {
      // jnats would buffer it and send it after a reconnect, when somebody else may lead
      return false;
    }
    Instant now = clock.instant();
    try {
      Ack ack =
          switch (c) {
            case Command.ScaleActor s ->
                s.actorId() == null
                    ? ctl.startActor(s.hostId(), s.image(), s.count(), s.annotations())
                    : ctl.scaleActor(
                        s.hostId(), s.actorId(), s.image(), s.count(), s.annotations());
            case Command.UpdateActor u ->
                ctl.updateActor(u.hostId(), u.actorId(), u.image(), Map.of());
            case Command.StartProvider p ->
                ctl.startProvider(p.hostId(), p.image(), p.linkName(), p.config(), p.annotations());
            case Command.StopProvider p ->
                ctl.stopProvider(
                    p.hostId(), p.providerId(), p.linkName(), p.contractId(), p.annotations());
            case Command.PutLink l -> ctl.putLink(l.link());
            case Command.DeleteLink d -> ctl.deleteLink(d.actorId(), d.contractId(), d.linkName());
          };
      if (ack.accepted()) {
        accepted(c, now);
        LOG.debug("sent {}", c);
        return true;
      }
      refused(c, now, ack.error());
      return false;
    } catch (CtlTimeoutException e) {
      // The host may be busy (compiling, say) and act on it anyway: wait for the effect as if it
      // had been accepted; if nothing happens, the expectation runs out and it is sent again.
      LOG.info("{}: no ack in time, waiting for its effect: {}", describe(c), e.getMessage());
      accepted(c, now);
      return false;
    } catch (CtlException e) {
      refused(c, now, e.getMessage());
      return false;
    }
  }

  private void accepted(Command c, Instant now) {
    switch (c) {
      case Command.ScaleActor s ->
          expectations.expect(s.hostId(), s.groupKey(), s.count(), now.plus(settings.actorWait()));
      case Command.UpdateActor u ->
          // target 0: an update starts no instance, so it never holds up an undeploy
          expectations.expect(u.hostId(), u.groupKey(), 0, now.plus(settings.actorWait()));
      case Command.StartProvider p ->
          expectations.expect(p.hostId(), p.groupKey(), 1, now.plus(settings.providerWait()));
      case Command.StopProvider p ->
          expectations.expect(p.hostId(), p.groupKey(), 0, now.plus(settings.actorWait()));
      case Command.PutLink l ->
          expectations.expect(
              LinkScaler.PENDING_HOST, l.groupKey(), 1, now.plus(settings.actorWait()));
      case Command.DeleteLink d ->
          expectations.expect(
              LinkScaler.PENDING_HOST, d.groupKey(), 0, now.plus(settings.actorWait()));
    }
  }

  private void refused(Command c, Instant now, String error) {
    LOG.warn("{} was not carried out: {}", describe(c), error);
    switch (c) {
      case Command.ScaleActor s when !s.image().isEmpty() ->
          failures.record(s.hostId(), s.image(), error, now);
      case Command.UpdateActor u ->
          failures.record(u.hostId(), ActorUpgrade.failureKey(u.image()), error, now);
      case Command.StartProvider p -> failures.record(p.hostId(), p.image(), error, now);
      default -> {}
    }
  }

  static String describe(Command c) {
    return switch (c) {
      case Command.ScaleActor s ->
          "scaling "
              + (s.actorId() == null ? s.image() : s.actorId())
              + " to "
              + s.count()
              + " on host "
              + s.hostId();
      case Command.UpdateActor u ->
          "updating " + u.actorId() + " to " + u.image() + " on host " + u.hostId();
      case Command.StartProvider p -> "starting " + p.image() + " on host " + p.hostId();
      case Command.StopProvider p -> "stopping " + p.providerId() + " on host " + p.hostId();
      case Command.PutLink l -> "putting link " + l.link().id();
      case Command.DeleteLink d ->
          "deleting link " + d.actorId() + " " + d.contractId() + " " + d.linkName();
    };
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
