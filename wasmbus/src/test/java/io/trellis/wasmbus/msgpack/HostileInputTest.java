package io.trellis.wasmbus.msgpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.trellis.wasmbus.LatticeException;
import io.trellis.wasmbus.SpecVectors;
import io.trellis.wasmbus.interfaces.HttpRequest;
import io.trellis.wasmbus.interfaces.HttpResponse;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.rpc.Invocation;
import io.trellis.wasmbus.rpc.InvocationCodec;
import io.trellis.wasmbus.rpc.InvocationSigner;
import io.trellis.wasmbus.rpc.InvocationValidator;
import io.trellis.wasmbus.rpc.WasmCloudEntity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Bad bytes off the wire may only ever produce a {@link LatticeException}: no other runtime
 * exception, and no allocation driven by a size the input cannot back.
 */
class HostileInputTest {

  @Test
  void hugeDeclaredSizesAreRefusedBeforeAllocation() {
    // map{ "msg": bin32 of 2 GiB - 1 } in 12 bytes
    byte[] hugeBin = {
      (byte) 0x81,
      (byte) 0xa3,
      'm',
      's',
      'g',
      (byte) 0xc6,
      0x7f,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      1,
      2
    };
    MsgPackException e =
        assertThrows(MsgPackException.class, () -> InvocationCodec.decodeInvocation(hugeBin));
    assertTrue(e.getMessage().contains("declares"), e.getMessage());
    assertThrows(MsgPackException.class, () -> InvocationCodec.decodeResponse(hugeBin));
    byte[] hugeMap = {(byte) 0xdf, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThrows(MsgPackException.class, () -> InvocationCodec.decodeInvocation(hugeMap));
    byte[] hugeArray = {
      (byte) 0x81,
      (byte) 0xa6,
      'h',
      'e',
      'a',
      'd',
      'e',
      'r',
      (byte) 0x81,
      (byte) 0xa1,
      'x',
      (byte) 0xdd,
      0x7f,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff
    };
    assertThrows(MsgPackException.class, () -> HttpRequest.fromMsgPack(hugeArray));
  }

  static void onlyLatticeExceptions(String what, byte[] input, Consumer<byte[]> decoder) {
    try {
      decoder.accept(input);
    } catch (LatticeException e) {
      // the one acceptable failure
    } catch (RuntimeException | OutOfMemoryError e) {
      fail(what + " threw " + e + " for input " + HexFormat.of().formatHex(input));
    }
  }

  @Test
  void aCorruptValueUnderAnUnknownKeyIsNamedByItsKey() {
    // map{ "zzz": str8 announcing 200 bytes, then 2 }
    byte[] truncated = {(byte) 0x81, (byte) 0xa3, 'z', 'z', 'z', (byte) 0xd9, (byte) 200, 'a', 'b'};
    MsgPackException e =
        assertThrows(MsgPackException.class, () -> InvocationCodec.decodeInvocation(truncated));
    assertTrue(e.getMessage().contains("at field 'zzz'"), e.getMessage());
  }

  /** Everything the fuzzer starts from is fixed, so every run feeds the decoders the same bytes. */
  static final long ISSUED_AT = 1_700_000_000L;

  static final String PROVIDER_PK = SpecVectors.KVREDIS_PK;

  @Test
  void mutatedAndRandomInputsOnlyEverFailCleanly() {
    KeyPair cluster = KeyPair.fromSeed(SpecVectors.CLUSTER_SEED);
    // Ed25519 signatures are deterministic: with fixed keys, id, iat and jti the token is fixed
    // too.
    Invocation inv =
        new InvocationSigner(cluster, cluster.publicKey())
            .sign(
                WasmCloudEntity.provider(PROVIDER_PK, "wasmcloud:httpserver", "default"),
                WasmCloudEntity.actor(SpecVectors.ECHO_PK),
                "HttpServer.HandleRequest",
                SpecVectors.hex(SpecVectors.ECHO_REQUEST_HEX),
                SpecVectors.INVOCATION_ID,
                ISSUED_AT,
                "hostile-input-seed");
    byte[] encoded = InvocationCodec.encode(inv);
    List<byte[]> seeds =
        List.of(
            encoded,
            SpecVectors.hex(SpecVectors.ECHO_REQUEST_HEX),
            SpecVectors.hex(SpecVectors.ECHO_RESPONSE_HEX),
            LinkDefinition.of(
                    SpecVectors.ECHO_PK,
                    SpecVectors.KVREDIS_PK,
                    "default",
                    "wasmcloud:keyvalue",
                    Map.of("a", "b"))
                .toMsgPack());
    // the validator's clock sits a minute after the fixed iat (the token has no exp)
    InvocationValidator validator =
        new InvocationValidator(
            List.of(cluster.publicKey()),
            Clock.fixed(Instant.ofEpochSecond(ISSUED_AT + 60), ZoneOffset.UTC));
    // positive control: the unmutated invocation passes every check, so mutations start from a
    // valid invocation instead of one already refused for its time or issuer
    validator.verify(InvocationValidator.decode(encoded), SpecVectors.ECHO_PK);
    assertArrayEquals(
        encoded,
        InvocationCodec.encode(
            new InvocationSigner(cluster, cluster.publicKey())
                .sign(
                    inv.origin(),
                    inv.target(),
                    inv.operation(),
                    inv.msg(),
                    inv.id(),
                    ISSUED_AT,
                    "hostile-input-seed")),
        "the seed invocation is the same bytes every run");
    Random r = new Random(42);
    for (int round = 0; round < 20_000; round++) {
      byte[] b;
      if (round % 10 == 0) {
        b = new byte[r.nextInt(64)];
        r.nextBytes(b);
      } else {
        b = seeds.get(r.nextInt(seeds.size())).clone();
        for (int m = 1 + r.nextInt(4); m > 0 && b.length > 0; m--) {
          switch (r.nextInt(3)) {
            case 0 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1));
            default -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
          }
        }
      }
      onlyLatticeExceptions(
          "Invocation",
          b,
          x -> validator.verify(InvocationValidator.decode(x), SpecVectors.ECHO_PK));
      onlyLatticeExceptions("InvocationResponse", b, InvocationCodec::decodeResponse);
      onlyLatticeExceptions("HttpRequest", b, HttpRequest::fromMsgPack);
      onlyLatticeExceptions("HttpResponse", b, HttpResponse::fromMsgPack);
      onlyLatticeExceptions("LinkDefinition", b, LinkDefinition::fromMsgPack);
    }
  }
}
