package io.trellis.wasmbus.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.wasmbus.SpecVectors;
import io.trellis.wasmbus.link.LinkDefinition;
import io.trellis.wasmbus.nkeys.KeyPair;
import io.trellis.wasmbus.nkeys.KeyType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostDataTest {
  static final String HOST = "NCE2TNHDXBFNR3VYMSMYJJBZZOJXZAQB2V4OBLLKIXJBMUHNFDT2JB66";
  static final String PROVIDER = SpecVectors.KVREDIS_PK;

  /**
   * A payload written by hand after PROTOCOL.md §7.2, with the keys in the order the OTP host sends
   * them.
   */
  static final String SPEC_SAMPLE =
      """
      {"host_id":"NCE2TNHDXBFNR3VYMSMYJJBZZOJXZAQB2V4OBLLKIXJBMUHNFDT2JB66",
       "lattice_rpc_prefix":"default","link_name":"default",
       "lattice_rpc_user_jwt":"","lattice_rpc_user_seed":"","lattice_rpc_url":"127.0.0.1:4222",
       "lattice_rpc_tls":false,"env_values":{},
       "instance_id":"6b7c3f0e-6c53-4d55-9e4e-0f3f2b1f8a11",
       "provider_key":"VAZVC4RX54J2NVCMCW7BPCAHGGG5XZXDBXFUMDUXGESTMQEJLC3YVZWB",
       "link_definitions":[{"id":"124AD321267D17B4C40AC52B13C4D8EA9D21D69C7F1EB17E136E067D0F93EF71",
         "actor_id":"MCFMFDWFHGKELOXPCNCDXKK5OFLHBVEWRAOXR5JSQUD2TOFRE3DFPM7E",
         "provider_id":"VAZVC4RX54J2NVCMCW7BPCAHGGG5XZXDBXFUMDUXGESTMQEJLC3YVZWB",
         "link_name":"default","contract_id":"wasmcloud:keyvalue","values":{"URL":"redis://127.0.0.1:6379/"}}],
       "config_json":"","default_rpc_timeout_ms":2000,
       "cluster_issuers":["CDIEVMRSOQV3JKZ2CNUL2RQV4TTNAISKW4NAC25PQUQKGMWJO6DTPEBG"],
       "invocation_seed":"SCABCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEN6A4",
       "js_domain":null,"structured_logging":false,"log_level":"info"}
      """;

  @Test
  void theSpecSampleDecodesEveryField() {
    HostData h = HostData.fromJson(SPEC_SAMPLE.getBytes(StandardCharsets.UTF_8));
    assertEquals(HOST, h.hostId());
    assertEquals("default", h.latticeRpcPrefix());
    assertEquals("default", h.linkName());
    assertEquals("127.0.0.1:4222", h.latticeRpcUrl());
    assertEquals("nats://127.0.0.1:4222", h.natsUrl());
    assertFalse(h.latticeRpcTls());
    assertFalse(h.hasUserCredentials());
    assertEquals(Map.of(), h.envValues());
    assertEquals("6b7c3f0e-6c53-4d55-9e4e-0f3f2b1f8a11", h.instanceId());
    assertEquals(PROVIDER, h.providerKey());
    LinkDefinition l = h.linkDefinitions().get(0);
    assertEquals("124AD321267D17B4C40AC52B13C4D8EA9D21D69C7F1EB17E136E067D0F93EF71", l.id());
    assertEquals("wasmcloud:keyvalue", l.contractId());
    assertEquals(Map.of("URL", "redis://127.0.0.1:6379/"), l.values());
    assertEquals("", h.configJson());
    assertEquals(2000, h.defaultRpcTimeoutMs());
    assertEquals(List.of(SpecVectors.CLUSTER_PK), h.clusterIssuers());
    assertEquals(
        SpecVectors.CLUSTER_PK, KeyPair.fromSeed(h.invocationSeed(), KeyType.CLUSTER).publicKey());
    assertNull(h.jsDomain());
    assertFalse(h.structuredLogging());
    assertEquals("info", h.logLevel());
  }

  @Test
  void roundTripsThroughTheStdinLine() {
    HostData h =
        new HostData(
            HOST,
            "lattice-7",
            "backup",
            "eyJ.jwt",
            "SUAEXAMPLE",
            "nats://10.0.0.1:4222",
            true,
            Map.of("A", "1"),
            "inst",
            PROVIDER,
            List.of(
                LinkDefinition.of(
                    SpecVectors.ECHO_PK,
                    PROVIDER,
                    "backup",
                    "wasmcloud:keyvalue",
                    Map.of("bucket", "b"))),
            "{\"x\":1}",
            5000,
            List.of(SpecVectors.CLUSTER_PK),
            SpecVectors.CLUSTER_SEED,
            "hub",
            true,
            "debug");
    String line = h.toStdinLine();
    assertTrue(line.endsWith("\n"));
    assertTrue(line.strip().matches("[A-Za-z0-9+/]+=*"), "standard base64 with padding");
    HostData back = HostData.fromStdinLine(line);
    assertEquals(h, back);
    assertTrue(back.hasUserCredentials());
    assertEquals("nats://10.0.0.1:4222", back.natsUrl(), "a URL with a scheme is kept");
  }

  @Test
  void decodingIsTolerantLikeWasmbusRpc() {
    String json =
        """
        {"env_values":{"N":3},"link_definitions":[],"cluster_issuers":[],"future_field":{"a":1},
         "lattice_rpc_tls":1,"enable_structured_logging":true}""";
    HostData h = HostData.fromJson(json.getBytes(StandardCharsets.UTF_8));
    assertTrue(h.latticeRpcTls(), "1 means true");
    assertTrue(h.structuredLogging(), "the pre-0.60 name is read too");
    assertEquals("3", h.envValues().get("N"));
    assertEquals("default", h.latticeRpcPrefix());
    assertEquals("default", h.linkName());
    assertEquals(HostData.DEFAULT_RPC_TIMEOUT_MS, h.defaultRpcTimeoutMs());
    assertEquals("nats://127.0.0.1:4222", h.natsUrl());
  }

  @Test
  void theThreeRequiredKeysAreRequired() {
    for (String missing : new String[] {"env_values", "link_definitions", "cluster_issuers"}) {
      String json =
          "{\"env_values\":{},\"link_definitions\":[],\"cluster_issuers\":[]}"
              .replace("\"" + missing + "\"", "\"x_" + missing + "\"");
      InvalidHostDataException e =
          assertThrows(
              InvalidHostDataException.class,
              () -> HostData.fromJson(json.getBytes(StandardCharsets.UTF_8)));
      assertTrue(e.getMessage().contains("'" + missing + "'"), e.getMessage());
    }
    assertThrows(InvalidHostDataException.class, () -> HostData.fromStdinLine(""));
    InvalidHostDataException notB64 =
        assertThrows(
            InvalidHostDataException.class, () -> HostData.fromStdinLine("not base64 at all!"));
    assertTrue(notB64.getMessage().contains("base64"), notB64.getMessage());
    String notJson = Base64.getEncoder().encodeToString("[1,2]".getBytes(StandardCharsets.UTF_8));
    assertThrows(InvalidHostDataException.class, () -> HostData.fromStdinLine(notJson));
  }

  @Test
  void toStringNeverShowsSeedsOrTheJwt() {
    HostData h =
        HostData.fromJson(
            SPEC_SAMPLE
                .replace("\"lattice_rpc_user_jwt\":\"\"", "\"lattice_rpc_user_jwt\":\"eyJhbGciOi\"")
                .replace(
                    "\"lattice_rpc_user_seed\":\"\"", "\"lattice_rpc_user_seed\":\"SUAMUSERSEED\"")
                .getBytes(StandardCharsets.UTF_8));
    String s = h.toString();
    assertFalse(s.contains(SpecVectors.CLUSTER_SEED), s);
    assertFalse(s.contains("SUAMUSERSEED"), s);
    assertFalse(s.contains("eyJhbGciOi"), s);
    assertTrue(s.contains(PROVIDER), s);
  }
}
