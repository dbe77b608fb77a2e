package io.trellis.host.ctl;

import io.nats.client.Message;
import io.trellis.oci.ArtifactKind;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.ctl.Ack;
import io.trellis.wasmbus.ctl.ActorCommands;
import io.trellis.wasmbus.ctl.HostCommands;
import io.trellis.wasmbus.ctl.LatticeQueries;
import io.trellis.wasmbus.ctl.ProviderCommands;
import io.trellis.wasmbus.link.LinkDefinition;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes control commands (PROTOCOL.md §8.3). Cheap checks (JSON shape, key types, unsupported or
 * missing references) are answered in the ack; slow work (fetching, compiling, instantiating) runs
 * after the ack and reports through events, as wasmCloud does.
 */
final class CommandHandler {
  private static final Logger LOG = LoggerFactory.getLogger(CommandHandler.class);
  private static final String WRONG_HOST =
      "Command received by incorrect host and could not be processed";

  private final ControlledHost host;
  private final String hostId;
  private final ArtifactFetcher fetcher;
  private final ArtifactStarts starts;

  CommandHandler(ControlledHost host, ArtifactFetcher fetcher) {
    this.host = host;
    this.hostId = host.facts().hostId();
    this.fetcher = fetcher;
    this.starts = new ArtifactStarts(host, fetcher);
  }

  byte[] command(Message m) {
    String s = m.getSubject();
    String prefix = "cmd." + hostId + ".";
    String cmd = s.substring(s.indexOf(prefix) + prefix.length());
    byte[] body = m.getData();
    Ack ack =
        switch (cmd) {
          case "la" -> startActor(ActorCommands.Start.fromJson(body));
          case "sa" -> stopActor(ActorCommands.Stop.fromJson(body));
          case "scale" -> scaleActor(ActorCommands.Scale.fromJson(body));
          case "upd" -> updateActor(ActorCommands.Update.fromJson(body));
          case "lp" -> startProvider(ProviderCommands.Start.fromJson(body));
          case "sp" -> stopProvider(ProviderCommands.Stop.fromJson(body));
          case "stop" -> stopHost(HostCommands.StopHost.fromJson(body));
          case "label.put" -> putLabel(HostCommands.Label.fromJson(body, true));
          case "label.del" -> deleteLabel(HostCommands.Label.fromJson(body, false));
          default ->
              Ack.error(
                  "unknown command '"
                      + cmd
                      + "' (known: la, sa, scale, upd, lp, sp, stop, label.put, label.del)");
        };
    return ack.toJson();
  }

  private boolean wrongHost(String target) {
    return target != null && !target.isEmpty() && !target.equals(hostId);
  }

  private Ack startActor(ActorCommands.Start c) {
    if (wrongHost(c.hostId())) {
      return Ack.error(WRONG_HOST);
    }
    fetcher.precheck(c.actorRef());
    Thread.ofVirtual()
        .name("trellis-start-actor")
        .start(() -> starts.actor(c.actorRef(), c.count(), c.annotations()));
    return Ack.ok();
  }

  private Ack stopActor(ActorCommands.Stop c) {
    if (wrongHost(c.hostId())) {
      return Ack.error(WRONG_HOST);
    }
    if (host.actors().find(c.actorRef()) == null) {
      return nothingToDo(
          "nothing to stop: actor " + c.actorRef() + " is not running on host " + hostId);
    }
    var stopped = host.actors().stop(c.actorRef(), c.count(), c.annotations());
    if (stopped.isEmpty()) {
      return nothingToDo(
          "nothing to stop: no instance of actor "
              + c.actorRef()
              + " on host "
              + hostId
              + " has annotations "
              + c.annotations());
    }
    return Ack.ok();
  }

  /**
   * Stopping or deleting what is absent is accepted, as by the OTP host: these commands are
   * idempotent, so wadm and scripts that repeat one never see a failure for work already done. The
   * ack's note says there was nothing to do (docs/DECISIONS.md).
   */
  private static Ack nothingToDo(String note) {
    LOG.info("{}", note);
    return Ack.okWithNote(note);
  }

  private Ack scaleActor(ActorCommands.Scale c) {
    if (wrongHost(c.hostId())) {
      return Ack.error(WRONG_HOST);
    }
    if (host.actors().find(c.actorId()) != null) {
      host.actors().scale(c.actorId(), c.count(), c.annotations());
      return Ack.ok();
    }
    if (c.count() == 0) {
      return Ack.ok();
    }
    if (c.actorRef().isEmpty()) {
      return Ack.error(
          "actor "
              + c.actorId()
              + " is not running on this host; scaling it up needs an actor_ref");
    }
    return startActor(
        new ActorCommands.Start(c.actorRef(), c.count(), c.annotations(), c.hostId()));
  }

  private Ack updateActor(ActorCommands.Update c) {
    if (wrongHost(c.hostId())) {
      return Ack.error(WRONG_HOST);
    }
    try {
      byte[] bytes = fetcher.fetch(c.newActorRef(), ArtifactKind.ACTOR);
      host.actors().update(bytes, c.newActorRef(), c.actorId());
      return Ack.ok();
    } catch (LatticeException e) {
      String msg = e.getMessage();
      return Ack.error(
          msg.startsWith("Unable to perform live update")
              ? msg
              : "Unable to perform live update: " + msg);
    }
  }

  private Ack startProvider(ProviderCommands.Start c) {
    if (wrongHost(c.hostId())) {
      return Ack.error(WRONG_HOST);
    }
    Optional<String> known =
        c.providerRef().startsWith("V") && c.providerRef().length() == 56
            ? Optional.of(c.providerRef())
            : host.lattice().resolveRef(c.providerRef());
    if (known.isPresent() && host.providers().isRunning(known.get(), c.linkName())) {
      host.providers()
          .startFailed(
              c.providerRef(),
              c.linkName(),
              "Provider with that link name is already running on this host");
      return Ack.error(
          "Provider with that link name is already running on this host ("
              + known.get()
              + ", link '"
              + c.linkName()
              + "')");
    }
    String ref =
        known.isPresent() && c.providerRef().equals(known.get())
            ? host.lattice().refMaps().stream()
                .filter(r -> r.publicKey().equals(known.get()))
                .map(r -> r.ociUrl())
                .findFirst()
                .orElse(c.providerRef())
            : c.providerRef();
    if (ref.startsWith("V") && ref.length() == 56) {
      return Ack.error(
          "provider "
              + ref
              + " has no known image reference in this lattice; start it from a file or URL");
    }
    fetcher.precheck(ref);
    Thread.ofVirtual()
        .name("trellis-start-provider")
        .start(() -> starts.provider(ref, c.linkName(), c.configuration(), c.annotations()));
    return Ack.ok();
  }

  private Ack stopProvider(ProviderCommands.Stop c) {
    if (wrongHost(c.hostId())) {
      return Ack.error(WRONG_HOST);
    }
    Optional<String> key = host.providers().runningKey(c.providerRef(), c.linkName());
    if (key.isEmpty()) {
      return nothingToDo(
          "nothing to stop: provider "
              + c.providerRef()
              + " with link name '"
              + c.linkName()
              + "' is not running on host "
              + hostId);
    }
    Thread.ofVirtual()
        .name("trellis-stop-provider")
        .start(() -> host.providers().stop(key.get(), c.linkName()));
    return Ack.ok();
  }

  private Ack stopHost(HostCommands.StopHost c) {
    if (wrongHost(c.hostId())) {
      return Ack.error(WRONG_HOST);
    }
    Duration grace = c.timeoutMs() > 0 ? Duration.ofMillis(c.timeoutMs()) : Duration.ofSeconds(10);
    // Reply first: the connections are drained as part of stopping.
    Thread.ofVirtual()
        .name("trellis-stop-host")
        .start(
            () -> {
              try {
                Thread.sleep(50);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              host.stop(grace);
            });
    return Ack.ok();
  }

  private Ack putLabel(HostCommands.Label l) {
    // hostcore.* keys are refused when the command is parsed; the host refuses them again
    if (!host.putLabel(l.key(), l.value())) {
      return Ack.error("label '" + l.key() + "' is built in and cannot be changed");
    }
    host.publishHeartbeat();
    return Ack.ok();
  }

  private Ack deleteLabel(HostCommands.Label l) {
    if (!host.removeLabel(l.key())) {
      return Ack.error("host " + hostId + " has no label '" + l.key() + "'");
    }
    host.publishHeartbeat();
    return Ack.ok();
  }

  byte[] linkdefs(Message m) {
    String s = m.getSubject();
    if (s.endsWith(".linkdefs.put")) {
      LinkDefinition l = LatticeQueries.linkPut(m.getData());
      host.lattice().putLink(l);
      return Ack.ok().toJson();
    }
    if (s.endsWith(".linkdefs.del")) {
      LatticeQueries.LinkDelete d = LatticeQueries.LinkDelete.fromJson(m.getData());
      return host.lattice().deleteLink(d.actorId(), d.contractId(), d.linkName()).isPresent()
          ? Ack.ok().toJson()
          : nothingToDo(
                  "nothing to delete: no link from actor "
                      + d.actorId()
                      + " for "
                      + d.contractId()
                      + " with link name '"
                      + d.linkName()
                      + "'")
              .toJson();
    }
    return Ack.error("unknown link command " + s).toJson();
  }

  /**
   * Invalid entries are dropped and the rest kept, as by the OTP host; the ack names what was
   * dropped, and is refused only when entries were sent and none was usable.
   */
  byte[] registries(Message m) {
    HostCommands.RegistriesPut put = HostCommands.registries(m.getData());
    fetcher.putCredentials(put.credentials());
    if (put.dropped().isEmpty()) {
      return Ack.ok().toJson();
    }
    String why = "dropped invalid registry credentials: " + put.describeDropped();
    LOG.warn("registries put: {}", why);
    return (put.credentials().isEmpty() ? Ack.error(why) : Ack.okWithNote(why)).toJson();
  }
}
