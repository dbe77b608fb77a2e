package io.trellis.e2e.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.cli.Trellis;
import io.trellis.wasmbus.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import picocli.CommandLine;

/** {@code trellis ctl …} in-process against one NATS port, with its output captured. */
record Cli(int natsPort) {
  record Result(int exitCode, String out, String err) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + out + "\nstderr: " + err, e);
      }
    }
  }

  /** {@code trellis ctl ARGS --ctl-port PORT}. */
  Result run(String... args) {
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--ctl-port";
    all[args.length + 1] = Integer.toString(natsPort);
    return local(all);
  }

  /** {@code trellis ARGS} as given (commands that do not talk to the lattice). */
  static Result local(String... all) {
    CommandLine cl = Trellis.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(all);
    return new Result(code, out.toString(), err.toString());
  }

  /** Runs it and fails with its output unless it succeeded. */
  Result ok(String... args) {
    Result r = run(args);
    if (r.exitCode() != 0) {
      throw new AssertionError(
          "trellis " + String.join(" ", args) + " failed: " + r.err() + r.out());
    }
    return r;
  }
}
