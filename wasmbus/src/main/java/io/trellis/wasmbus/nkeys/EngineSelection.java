package io.trellis.wasmbus.nkeys;

import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the JVM's default Ed25519 engine once, from {@code -Dtrellis.ed25519}: {@code auto} (the
 * default) and {@code sodium} take libsodium when it loads and otherwise fall back to BouncyCastle,
 * saying so once in the log (a warning); {@code bc} and {@code jdk} force an engine. The choice is
 * exposed to operators ({@link Ed25519Engine#defaultEngine()}'s {@code name()}, the host's {@code
 * trellis_ed25519_engine} gauge).
 */
final class EngineSelection {
  static final String PROPERTY = "trellis.ed25519";

  private static final Logger LOG = LoggerFactory.getLogger(Ed25519Engine.class);

  /** The engine, one line for operators, and whether the wanted engine was unavailable. */
  record Choice(Ed25519Engine engine, String note, boolean fellBack) {}

  static final Choice DEFAULT =
      logged(choose(System.getProperty(PROPERTY, "auto"), SodiumEd25519::instance));

  private EngineSelection() {}

  static Choice choose(String requested, Supplier<Ed25519Engine> sodium) {
    String wanted = requested.strip().toLowerCase(Locale.ROOT);
    String prefix = "";
    switch (wanted) {
      case "bc" -> {
        return new Choice(
            new BouncyCastleEd25519(), "Ed25519: BouncyCastle (" + PROPERTY + "=bc)", false);
      }
      case "jdk" -> {
        return new Choice(new JdkEd25519(), "Ed25519: JDK SunEC (" + PROPERTY + "=jdk)", false);
      }
      case "auto", "sodium", "" -> {}
      default ->
          prefix =
              "unknown -D"
                  + PROPERTY
                  + "="
                  + requested
                  + " (expected auto, sodium, bc or jdk), using auto; ";
    }
    try {
      Ed25519Engine engine = sodium.get();
      return new Choice(
          engine, prefix + "Ed25519: " + SodiumEd25519.description(), !prefix.isEmpty());
    } catch (IllegalStateException e) {
      return new Choice(
          new BouncyCastleEd25519(),
          prefix
              + "Ed25519: BouncyCastle, about 2x slower than libsodium, because "
              + e.getMessage(),
          true);
    }
  }

  private static Choice logged(Choice choice) {
    // the fallback is what an operator must see; the normal case is in the host's start line
    // (and stays out of every short CLI command's output)
    if (choice.fellBack()) {
      LOG.warn("{}", choice.note());
    } else {
      LOG.debug("{}", choice.note());
    }
    return choice;
  }
}
