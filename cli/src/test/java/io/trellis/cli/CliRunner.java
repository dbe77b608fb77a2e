package io.trellis.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the real {@code trellis} entry point in-process and captures its output. */
public final class CliRunner {
  public record Result(int exitCode, String out, String err) {}

  private CliRunner() {}

  public static Result run(String... args) {
    CommandLine cl = Trellis.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
