package io.trellis.cli.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.cli.ctl.CtlOptions;
import io.trellis.cli.ctl.JsonOut;
import io.trellis.cli.support.ClusterSeeds;
import io.trellis.ctl.ActorCaller;
import io.trellis.ctl.CtlClient;
import io.trellis.host.config.TrellisDirs;
import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.interfaces.HttpResponse;
import io.trellis.wasmbus.lattice.ClaimsRecord;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import io.trellis.wasmbus.rpc.InvocationResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code trellis call ACTOR OPERATION --data JSON} and {@code trellis call ACTOR --http GET /path}:
 * one signed invocation straight to an actor (PROTOCOL.md §4), the reply decoded for reading.
 */
@Command(
    name = "call",
    mixinStandardHelpOptions = true,
    description =
        "Invoke an actor directly: msgpack from JSON (--data), or an HTTP request (--http).")
public final class CallCommand implements Callable<Integer> {
  @Mixin CtlOptions ctl;

  @Parameters(
      index = "0",
      paramLabel = "ACTOR",
      description = "actor id (M…), or its name or call alias")
  String actor;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "OPERATION",
      description = "e.g. HttpServer.HandleRequest")
  @Nullable String operation;

  @Option(
      names = {"-d", "--data"},
      paramLabel = "JSON|@FILE",
      description = "payload as JSON, converted to msgpack; none sends an empty payload")
  @Nullable String data;

  @Option(
      names = "--http",
      arity = "2",
      paramLabel = "METHOD PATH",
      description = "send HttpServer.HandleRequest with this method and path (may include ?query)")
  @Nullable List<String> http;

  @Option(names = "--body", paramLabel = "TEXT|@FILE", description = "request body for --http")
  @Nullable String body;

  @Option(
      names = {"-H", "--header"},
      paramLabel = "NAME:VALUE",
      description = "request header for --http; repeatable")
  @Nullable List<String> headers;

  @Option(
      names = "--cluster-seed",
      paramLabel = "SEED|FILE",
      defaultValue = "${env:WASMCLOUD_CLUSTER_SEED}",
      description =
          "cluster seed (SC…) that signs the invocation (env WASMCLOUD_CLUSTER_SEED; default: the "
              + "cluster_seed in $HOST_CONFIG or ~/.trellis/host_config.json)")
  @Nullable String clusterSeed;

  @Option(
      names = "--host-config",
      paramLabel = "FILE",
      description = "take the cluster seed from this host config file")
  @Nullable Path hostConfig;

  @Override
  public Integer call() throws Exception {
    if (http == null && operation == null) {
      throw new ParameterException(
          ctl.commandLine(), "give an OPERATION (with --data) or --http METHOD PATH");
    }
    if (http != null && (operation != null || data != null)) {
      throw new ParameterException(
          ctl.commandLine(), "--http builds its own payload: drop OPERATION and --data");
    }
    if (http == null && (body != null || headers != null)) {
      throw new ParameterException(ctl.commandLine(), "--body and --header only go with --http");
    }
    KeyPair cluster =
        ClusterSeeds.resolve(
            clusterSeed, hostConfig, System.getenv("HOST_CONFIG"), TrellisDirs.current());
    String op = http != null ? HttpRequest.OPERATION : operation;
    byte[] payload =
        http != null
            ? HttpCall.request(
                    http.get(0),
                    http.get(1),
                    headers,
                    body == null ? new byte[0] : Payloads.bytes(body))
                .toMsgPack()
            : data == null ? new byte[0] : MsgPackJson.toMsgPack(Payloads.json(data));
    try (CtlClient c = ctl.connect()) {
      String actorId = resolveActor(c);
      InvocationResponse resp =
          new ActorCaller(c, ctl.jsDomain(), cluster).invoke(actorId, op, payload);
      if (!resp.isSuccess()) {
        throw new LatticeException(
            "actor " + actorId + " answered " + op + " with an error: " + resp.error());
      }
      print(actorId, op, resp);
      return 0;
    }
  }

  private void print(String actorId, String op, InvocationResponse resp) {
    if (http != null) {
      HttpResponse r = HttpResponse.fromMsgPack(resp.msg());
      if (ctl.json()) {
        JsonOut.print(ctl.out(), HttpCall.json(r));
      } else {
        HttpCall.printText(ctl.out(), r);
      }
      return;
    }
    JsonNode reply = MsgPackJson.toJson(resp.msg());
    if (ctl.json()) {
      ObjectNode o =
          JsonOut.object()
              .put("actor_id", actorId)
              .put("operation", op)
              .put("invocation_id", resp.invocationId())
              .put("reply_bytes", resp.msg().length);
      o.set("reply", reply);
      JsonOut.print(ctl.out(), o);
    } else {
      ctl.out().println(reply.isTextual() ? reply.asText() : reply.toPrettyString());
      ctl.out().flush();
    }
  }

  /**
   * An actor key passes through; anything else is looked up as a name or call alias in the claims.
   */
  private String resolveActor(CtlClient c) {
    if (KeyPair.isValidPublicKey(actor, KeyType.MODULE)) {
      return actor;
    }
    List<ClaimsRecord> matches =
        c.claims().stream()
            .filter(r -> !r.isProvider())
            .filter(r -> actor.equals(r.callAlias()) || actor.equals(r.name()))
            .toList();
    if (matches.size() == 1) {
      return matches.get(0).subject();
    }
    throw new ParameterException(
        ctl.commandLine(),
        matches.isEmpty()
            ? "'"
                + actor
                + "' is neither an actor id (M…) nor the name or call alias of an actor in lattice '"
                + c.latticePrefix()
                + "'"
            : "'"
                + actor
                + "' names "
                + matches.size()
                + " actors: "
                + matches.stream().map(ClaimsRecord::subject).toList()
                + "; use the actor id");
  }
}
