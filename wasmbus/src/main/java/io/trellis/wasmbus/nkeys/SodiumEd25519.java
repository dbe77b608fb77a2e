package io.trellis.wasmbus.nkeys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Ed25519 through libsodium's detached API ({@code crypto_sign_detached}, {@code
 * crypto_sign_verify_detached}, {@code crypto_sign_seed_keypair}), called with the Foreign Function
 * &amp; Memory API.
 *
 * <p>The three calls are linked as <em>critical</em> downcalls with heap access: libsodium reads
 * and writes the Java arrays in place. A call therefore allocates no native memory (nothing to leak
 * or free) and copies no bytes, and secret keys never leave the Java heap, as with the other
 * engines: there is no native copy to wipe. Critical calls hold off the garbage collector while
 * they run, which is fine for calls of 20–60 µs that never call back into Java.
 *
 * <p>The library is found by {@code -Dtrellis.sodium.library} (a file or a library name), else by
 * the usual names ({@code libsodium.so.23} is Debian's {@code libsodium23}). Loading checks sizes
 * and an RFC 8032 test vector before the engine is used; any failure leaves the engine unavailable
 * with the reason, and the caller falls back (see {@link EngineSelection}).
 */
final class SodiumEd25519 implements Ed25519Engine {
  /** System property naming the library to load: a path, or a name for the system's loader. */
  static final String LIBRARY_PROPERTY = "trellis.sodium.library";

  private static final List<String> LIBRARY_NAMES =
      List.of("libsodium.so.23", "libsodium.so", "libsodium.dylib", "libsodium.23.dylib", "sodium");

  private static final int SEED_BYTES = 32;
  private static final int PUBLIC_KEY_BYTES = 32;
  private static final int SECRET_KEY_BYTES = 64;
  private static final int SIGNATURE_BYTES = 64;

  // RFC 8032 test vector TEST 1: checked once at load, so a mislinked library can never sign
  private static final String PROBE_SEED =
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
  private static final String PROBE_PUBLIC =
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  private static final String PROBE_SIGNATURE =
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065"
          + "224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

  // static finals, so the JIT sees constant handles and inlines the downcalls
  private static final @Nullable MethodHandle SEED_KEYPAIR;
  private static final @Nullable MethodHandle SIGN_DETACHED;
  private static final @Nullable MethodHandle VERIFY_DETACHED;
  private static final String DESCRIPTION;
  private static final @Nullable String FAILURE;

  private static final SodiumEd25519 INSTANCE = new SodiumEd25519();

  static {
    MethodHandle seedKeypair = null;
    MethodHandle sign = null;
    MethodHandle verify = null;
    String description = "libsodium";
    String failure = null;
    try {
      Loaded loaded = load();
      seedKeypair = loaded.seedKeypair;
      sign = loaded.sign;
      verify = loaded.verify;
      description = loaded.description;
      probe(seedKeypair, sign, verify);
    } catch (RuntimeException | LinkageError e) {
      failure = e.getMessage() == null ? e.toString() : e.getMessage();
      seedKeypair = sign = verify = null;
    }
    SEED_KEYPAIR = seedKeypair;
    SIGN_DETACHED = sign;
    VERIFY_DETACHED = verify;
    DESCRIPTION = description;
    FAILURE = failure;
  }

  private SodiumEd25519() {}

  /** The engine, or an exception saying why libsodium cannot be used in this JVM. */
  static SodiumEd25519 instance() {
    if (FAILURE != null) {
      throw new IllegalStateException(FAILURE);
    }
    return INSTANCE;
  }

  /** Null when the library loaded and passed its check; otherwise why it did not. */
  static @Nullable String unavailableReason() {
    return FAILURE;
  }

  /** e.g. {@code libsodium 1.0.18 (libsodium.so.23)}. */
  static String description() {
    return DESCRIPTION;
  }

  private record Loaded(
      MethodHandle seedKeypair, MethodHandle sign, MethodHandle verify, String description) {}

  private static Loaded load() {
    String configured = System.getProperty(LIBRARY_PROPERTY, "").strip();
    List<String> candidates = configured.isEmpty() ? LIBRARY_NAMES : List.of(configured);
    List<String> problems = new ArrayList<>();
    for (String candidate : candidates) {
      SymbolLookup lookup;
      try {
        // the library stays loaded for the life of the JVM: one engine instance uses it
        lookup =
            candidate.contains("/")
                ? SymbolLookup.libraryLookup(Path.of(candidate), Arena.global())
                : SymbolLookup.libraryLookup(candidate, Arena.global());
      } catch (IllegalArgumentException e) {
        problems.add(candidate + ": " + e.getMessage());
        continue;
      }
      return link(lookup, candidate);
    }
    throw new IllegalStateException(
        "libsodium could not be loaded (tried "
            + String.join("; ", problems)
            + "); install libsodium23 (scripts/setup.sh) or set -D"
            + LIBRARY_PROPERTY
            + "=<path>");
  }

  private static Loaded link(SymbolLookup lookup, String libraryName) {
    Linker linker = Linker.nativeLinker();
    MethodHandle init = linker.downcallHandle(find(lookup, "sodium_init"), of(JAVA_INT));
    int rc;
    try {
      rc = (int) init.invokeExact();
    } catch (Throwable t) {
      throw new IllegalStateException("sodium_init failed: " + t, t);
    }
    if (rc < 0) {
      throw new IllegalStateException("sodium_init returned " + rc + " in " + libraryName);
    }
    requireSize(linker, lookup, "crypto_sign_seedbytes", SEED_BYTES);
    requireSize(linker, lookup, "crypto_sign_publickeybytes", PUBLIC_KEY_BYTES);
    requireSize(linker, lookup, "crypto_sign_secretkeybytes", SECRET_KEY_BYTES);
    requireSize(linker, lookup, "crypto_sign_bytes", SIGNATURE_BYTES);
    Linker.Option inPlace = Linker.Option.critical(true);
    MethodHandle seedKeypair =
        linker.downcallHandle(
            find(lookup, "crypto_sign_seed_keypair"),
            of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS),
            inPlace);
    MethodHandle sign =
        linker.downcallHandle(
            find(lookup, "crypto_sign_detached"),
            of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS),
            inPlace);
    MethodHandle verify =
        linker.downcallHandle(
            find(lookup, "crypto_sign_verify_detached"),
            of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS),
            inPlace);
    return new Loaded(
        seedKeypair,
        sign,
        verify,
        "libsodium " + version(linker, lookup) + " (" + libraryName + ")");
  }

  private static FunctionDescriptor of(MemoryLayout result, MemoryLayout... args) {
    return FunctionDescriptor.of(result, args);
  }

  private static MemorySegment find(SymbolLookup lookup, String symbol) {
    return lookup
        .find(symbol)
        .orElseThrow(() -> new IllegalStateException("libsodium has no symbol " + symbol));
  }

  private static void requireSize(Linker linker, SymbolLookup lookup, String fn, int expected) {
    long actual;
    try {
      // size_t on every platform the JDK's linker supports for us (LP64)
      actual = (long) linker.downcallHandle(find(lookup, fn), of(JAVA_LONG)).invokeExact();
    } catch (Throwable t) {
      throw new IllegalStateException(fn + "() failed: " + t, t);
    }
    if (actual != expected) {
      throw new IllegalStateException(fn + "() is " + actual + ", expected " + expected);
    }
  }

  private static String version(Linker linker, SymbolLookup lookup) {
    try {
      MemorySegment s =
          (MemorySegment)
              linker
                  .downcallHandle(
                      find(lookup, "sodium_version_string"), FunctionDescriptor.of(ADDRESS))
                  .invokeExact();
      return s.reinterpret(64).getString(0);
    } catch (Throwable t) {
      return "(unknown version)";
    }
  }

  private static void probe(MethodHandle seedKeypair, MethodHandle sign, MethodHandle verify) {
    HexFormat hex = HexFormat.of();
    byte[] seed = hex.parseHex(PROBE_SEED);
    byte[] pk = new byte[PUBLIC_KEY_BYTES];
    byte[] sk = new byte[SECRET_KEY_BYTES];
    byte[] sig = new byte[SIGNATURE_BYTES];
    byte[] empty = new byte[0];
    boolean verified;
    try {
      int kp = (int) seedKeypair.invokeExact(seg(pk), seg(sk), seg(seed));
      int s = (int) sign.invokeExact(seg(sig), MemorySegment.NULL, seg(empty), 0L, seg(sk));
      verified =
          kp == 0 && s == 0 && (int) verify.invokeExact(seg(sig), seg(empty), 0L, seg(pk)) == 0;
    } catch (Throwable t) {
      throw new IllegalStateException("libsodium self-test failed: " + t, t);
    }
    if (!verified
        || !hex.formatHex(pk).equals(PROBE_PUBLIC)
        || !hex.formatHex(sig).equals(PROBE_SIGNATURE)) {
      throw new IllegalStateException(
          "libsodium failed the RFC 8032 self-test (TEST 1): wrong key or signature");
    }
  }

  private static MemorySegment seg(byte[] bytes) {
    return MemorySegment.ofArray(bytes);
  }

  @Override
  public byte[] publicKey(byte[] seed) {
    byte[] pk = new byte[PUBLIC_KEY_BYTES];
    byte[] sk = new byte[SECRET_KEY_BYTES];
    try {
      seedKeypair(seed, pk, sk);
    } finally {
      Arrays.fill(sk, (byte) 0);
    }
    return pk;
  }

  @Override
  public @Nullable Object preparePublicKey(byte[] publicKey) {
    // libsodium decodes the point on every verify (its own check of the key); nothing to cache
    return publicKey.length == PUBLIC_KEY_BYTES ? publicKey.clone() : null;
  }

  /** libsodium's 64-byte secret key (seed ‖ public key), kept on the heap by the key pair. */
  @Override
  public Object prepareSeed(byte[] seed) {
    byte[] pk = new byte[PUBLIC_KEY_BYTES];
    byte[] sk = new byte[SECRET_KEY_BYTES];
    seedKeypair(seed, pk, sk);
    return new SecretKey(sk);
  }

  /** A wrapper, so a prepared seed of this engine cannot be mistaken for another engine's. */
  private record SecretKey(byte[] bytes) {
    @Override
    public String toString() {
      return "SecretKey[redacted]";
    }
  }

  private static void seedKeypair(byte[] seed, byte[] pk, byte[] sk) {
    if (seed.length != SEED_BYTES) {
      throw new InvalidKeyException("an Ed25519 seed has 32 bytes, got " + seed.length);
    }
    int rc;
    try {
      rc = (int) SEED_KEYPAIR.invokeExact(seg(pk), seg(sk), seg(seed));
    } catch (Throwable t) {
      throw new IllegalStateException("crypto_sign_seed_keypair failed: " + t, t);
    }
    if (rc != 0) {
      throw new IllegalStateException("crypto_sign_seed_keypair returned " + rc);
    }
  }

  @Override
  public byte[] sign(Object preparedSeed, byte[] message, int offset, int length) {
    byte[] sk = ((SecretKey) preparedSeed).bytes();
    byte[] sig = new byte[SIGNATURE_BYTES];
    int rc;
    try {
      rc =
          (int)
              SIGN_DETACHED.invokeExact(
                  seg(sig),
                  MemorySegment.NULL,
                  MemorySegment.ofArray(message).asSlice(offset, length),
                  (long) length,
                  seg(sk));
    } catch (Throwable t) {
      throw new IllegalStateException("crypto_sign_detached failed: " + t, t);
    }
    if (rc != 0) {
      throw new IllegalStateException("crypto_sign_detached returned " + rc);
    }
    return sig;
  }

  @Override
  public boolean verify(
      @Nullable Object preparedPublicKey,
      byte[] message,
      int offset,
      int length,
      byte[] signature) {
    if (signature.length != SIGNATURE_BYTES || !(preparedPublicKey instanceof byte[] pk)) {
      return false;
    }
    try {
      return (int)
              VERIFY_DETACHED.invokeExact(
                  seg(signature),
                  MemorySegment.ofArray(message).asSlice(offset, length),
                  (long) length,
                  seg(pk))
          == 0;
    } catch (Throwable t) {
      throw new IllegalStateException("crypto_sign_verify_detached failed: " + t, t);
    }
  }

  @Override
  public String name() {
    return "sodium";
  }
}
