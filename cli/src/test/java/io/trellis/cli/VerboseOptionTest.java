package io.trellis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.cli.up.PidFile;
import io.trellis.cli.up.TrellisHome;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --verbose}, declared once on {@code trellis}, works after any command and adds the stack
 * trace.
 */
class VerboseOptionTest {
  @TempDir Path dir;

  @AfterEach
  void cleanup() {
    System.clearProperty("trellis.home");
  }

  private static boolean hasStackTrace(CliRunner.Result r) {
    return r.err().lines().anyMatch(l -> l.startsWith("\tat "));
  }

  @Test
  void verboseAddsTheStackTraceWhereverItIsGiven() {
    String missing = dir.resolve("nope.wasm").toString();
    CliRunner.Result plain = CliRunner.run("claims", "inspect", missing);
    assertEquals(1, plain.exitCode());
    assertTrue(plain.err().startsWith("error: no such file: " + missing), plain.err());
    assertFalse(hasStackTrace(plain), "no stack trace without --verbose: " + plain.err());

    for (String[] args :
        new String[][] {
          {"claims", "inspect", missing, "--verbose"},
          {"claims", "inspect", "--verbose", missing},
          {"--verbose", "claims", "inspect", missing}
        }) {
      CliRunner.Result verbose = CliRunner.run(args);
      assertEquals(1, verbose.exitCode(), String.join(" ", args) + ": " + verbose.err());
      assertTrue(verbose.err().startsWith("error: no such file: " + missing), verbose.err());
      assertTrue(
          verbose.err().contains("java.nio.file.NoSuchFileException: " + missing),
          String.join(" ", args) + " shows the exception: " + verbose.err());
      assertTrue(
          hasStackTrace(verbose),
          String.join(" ", args) + " shows the stack trace: " + verbose.err());
    }
  }

  @Test
  void anArgumentSpelledLikeTheOptionIsNotTheOption() {
    // after "--" it is the name of a (missing) module, not the flag
    CliRunner.Result r = CliRunner.run("claims", "inspect", "--", "--verbose");
    assertEquals(1, r.exitCode(), r.err());
    assertTrue(r.err().startsWith("error: no such file: --verbose"), r.err());
    assertFalse(
        hasStackTrace(r), "a module named --verbose does not turn on stack traces: " + r.err());
  }

  @Test
  void upAndDownAcceptVerbose() throws Exception {
    System.setProperty("trellis.home", dir.toString());
    // A host pid file naming this (live) JVM makes 'up' fail at once with "already up",
    // before it would look for NATS or start anything.
    PidFile.write(new TrellisHome(dir).hostPid(), ProcessHandle.current().pid(), "");
    CliRunner.Result up = CliRunner.run("up");
    assertEquals(1, up.exitCode(), up.err());
    assertTrue(up.err().startsWith("error: trellis is already up"), up.err());
    assertFalse(hasStackTrace(up), up.err());

    CliRunner.Result verbose = CliRunner.run("up", "--verbose");
    assertEquals(
        1,
        verbose.exitCode(),
        "--verbose is accepted, so the error is the command's, not usage: " + verbose.err());
    assertTrue(verbose.err().startsWith("error: trellis is already up"), verbose.err());
    assertTrue(hasStackTrace(verbose), verbose.err());

    PidFile.delete(new TrellisHome(dir).hostPid());
    CliRunner.Result down = CliRunner.run("down", "--verbose");
    assertEquals(0, down.exitCode(), down.err());
    assertTrue(down.out().contains("Nothing to stop"), down.out());
  }
}
