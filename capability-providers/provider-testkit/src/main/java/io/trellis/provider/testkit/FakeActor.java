package io.trellis.provider.testkit;

import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.chunking.ChunkStore;
import io.trellis.wasmbus.claims.Claims;
import io.trellis.wasmbus.claims.InvocationMetadata;
import io.trellis.wasmbus.rpc.Invocation;
import io.trellis.wasmbus.rpc.InvocationCodec;
import io.trellis.wasmbus.rpc.InvocationResponse;
import io.trellis.wasmbus.rpc.InvocationValidator;
import io.trellis.wasmbus.subjects.Subjects;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

/**
 * Answers invocations on {@code wasmbus.rpc.{prefix}.{actor}} the way a host running the actor
 * would: it checks the invocation (signature, issuer, URLs, hash after de-chunking, target), then
 * lets the test's {@link Behaviour} decide the reply. Everything received is recorded.
 */
public final class FakeActor implements AutoCloseable {
  /** What the actor does with a validated call. */
  @FunctionalInterface
  public interface Behaviour {
    Reply respond(Invocation invocation, byte[] payload) throws Exception;
  }

  /** The actor's answer. */
  public sealed interface Reply permits Ok, Fail, Silent {}

  /** A successful result payload. */
  public record Ok(byte[] payload) implements Reply {}

  /** An error response, as a host sends for a trap or a refused call. */
  public record Fail(String error) implements Reply {}

  /** No answer at all: the caller times out. */
  public record Silent() implements Reply {}

  /** A validated call as received. */
  public record Received(Invocation invocation, byte[] payload) {}

  private final TestLattice lattice;
  private final String actorId;
  private final Behaviour behaviour;
  private final Dispatcher dispatcher;
  private final InvocationValidator validator;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<String> rejected = new CopyOnWriteArrayList<>();

  FakeActor(TestLattice lattice, String actorId, Behaviour behaviour) {
    this.lattice = lattice;
    this.actorId = actorId;
    this.behaviour = behaviour;
    this.validator = new InvocationValidator(List.of(lattice.clusterKey().publicKey()));
    String subject = Subjects.actorRpc(lattice.prefix(), actorId);
    this.dispatcher = lattice.connection().createDispatcher();
    dispatcher.subscribe(subject, subject, this::onMessage);
    lattice.flush();
  }

  public String actorId() {
    return actorId;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Why invocations were refused (should stay empty when the provider signs correctly). */
  public List<String> rejected() {
    return List.copyOf(rejected);
  }

  public static Reply ok(byte[] payload) {
    return new Ok(payload);
  }

  public static Reply fail(String error) {
    return new Fail(error);
  }

  public static Reply silent() {
    return new Silent();
  }

  private void onMessage(Message m) {
    Invocation inv = InvocationCodec.decodeInvocation(m.getData());
    InvocationResponse resp;
    ChunkStore chunks = lattice.chunkStore();
    try {
      Claims<InvocationMetadata> claims = validator.verifyClaims(inv);
      byte[] payload = inv.isChunked() ? chunks.take(inv.id(), inv.contentLength()) : inv.msg();
      InvocationValidator.verifyHash(inv, payload, claims.metadata());
      InvocationValidator.requireTarget(inv, actorId);
      received.add(new Received(inv, payload));
      Reply reply = behaviour.respond(inv, payload);
      switch (reply) {
        case Silent s -> {
          return;
        }
        case Fail f -> resp = InvocationResponse.failure(inv.id(), f.error());
        case Ok ok -> resp = InvocationResponse.success(inv.id(), ok.payload(), chunks);
      }
    } catch (LatticeException e) {
      rejected.add(e.getMessage());
      resp = InvocationResponse.failure(inv.id(), e.getMessage());
    } catch (Exception e) {
      resp = InvocationResponse.failure(inv.id(), "fake actor failed: " + e);
    }
    if (m.getReplyTo() != null) {
      lattice.connection().publish(m.getReplyTo(), InvocationCodec.encode(resp));
    }
  }

  @Override
  public void close() {
    lattice.connection().closeDispatcher(dispatcher);
    // Make the unsubscribe reach the server before returning, so a test that calls the actor
    // right after closing sees "no responders" rather than a message delivered into the void.
    try {
      lattice.connection().flush(Duration.ofSeconds(2));
    } catch (TimeoutException e) {
      throw new IllegalStateException("NATS did not confirm the unsubscribe", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
