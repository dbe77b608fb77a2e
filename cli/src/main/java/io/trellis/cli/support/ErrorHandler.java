package io.trellis.cli.support;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures into one readable line and a non-zero exit code; stack traces only with {@code
 * --verbose}. Usage mistakes exit 2, everything else 1.
 */
public final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
  /** The inherited option declared once on the top command ({@code Trellis}). */
  public static final String VERBOSE = "--verbose";

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    err.println("error: " + describe(ex));
    if (verbose(parsed)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return 1;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    PrintWriter err = ex.getCommandLine().getErr();
    err.println("error: " + ex.getMessage());
    err.println("try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
    err.flush();
    return 2;
  }

  /**
   * Whether {@value #VERBOSE} was given at any level of the command line. The option is inherited,
   * so picocli records it on whichever command it followed ({@code trellis --verbose ctl ...} or
   * {@code trellis ctl start actor ... --verbose}); asking the parse results rather than scanning
   * the raw arguments also keeps a payload such as {@code --data --verbose} from counting.
   */
  static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption(VERBOSE)) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable t) {
    String msg = t.getMessage();
    if (t instanceof NoSuchFileException) {
      return "no such file: " + msg;
    }
    if (t instanceof AccessDeniedException) {
      return "permission denied: " + msg;
    }
    if (msg == null || msg.isBlank()) {
      return t.getClass().getSimpleName()
          + (t.getCause() != null ? ": " + describe(t.getCause()) : "");
    }
    return msg;
  }
}
