package io.trellis.lattice;

/**
 * PROTOCOL.md §12.3 KV JSON samples (control-interface-client src/kv.rs), byte for byte as in
 * wasmbus's SpecVectors (test sources are not shared between modules, hence the copy).
 */
final class SpecSamples {
  private SpecSamples() {}

  static final String CLAIMS_1 =
      "{\"call_alias\":\"\",\"caps\":\"wasmcloud:httpserver\",\"iss\":\"ABRIBHH54GM7QIEJBYYGZJUSDAMO34YM4SKWUQJGIILRB7JYGXEPWUVT\",\"name\":\"kvcounter\",\"rev\":\"1631624220\",\"sub\":\"MBW3UGAIONCX3RIDDUGDCQIRGBQQOWS643CVICQ5EZ7SWNQPZLZTSQKU\",\"tags\":\"\",\"version\":\"0.3.0\"}";
  static final String CLAIMS_2 =
      "{\"call_alias\":\"\",\"caps\":\"\",\"iss\":\"ACOJJN6WUP4ODD75XEBKKTCCUJJCY5ZKQ56XVKYK4BEJWGVAOOQHZMCW\",\"name\":\"HTTP Server\",\"rev\":\"1644594344\",\"sub\":\"VAG3QITQQ2ODAOWB5TTQSDJ53XK3SHBEIFNK4AYJ5RKAX2UNSCAPHA5M\",\"tags\":\"\",\"version\":\"0.14.10\"}";
  static final String LINK_1 =
      "{\"actor_id\":\"MBW3UGAIONCX3RIDDUGDCQIRGBQQOWS643CVICQ5EZ7SWNQPZLZTSQKU\",\"contract_id\":\"wasmcloud:httpserver\",\"id\":\"fb30deff-bbe7-4a28-a525-e53ebd4e8228\",\"link_name\":\"default\",\"provider_id\":\"VAG3QITQQ2ODAOWB5TTQSDJ53XK3SHBEIFNK4AYJ5RKAX2UNSCAPHA5M\",\"values\":{\"PORT\":\"8082\"}}";
  static final String LINK_2 =
      "{\"actor_id\":\"MBW3UGAIONCX3RIDDUGDCQIRGBQQOWS643CVICQ5EZ7SWNQPZLZTSQKU\",\"contract_id\":\"wasmcloud:keyvalue\",\"id\":\"ff140106-dd0d-44ee-8241-a2158a528b1d\",\"link_name\":\"default\",\"provider_id\":\"VAZVC4RX54J2NVCMCW7BPCAHGGG5XZXDBXFUMDUXGESTMQEJLC3YVZWB\",\"values\":{\"URL\":\"redis://127.0.0.1:6379\"}}";

  static final String KVCOUNTER = "MBW3UGAIONCX3RIDDUGDCQIRGBQQOWS643CVICQ5EZ7SWNQPZLZTSQKU";
  static final String HTTPSERVER = "VAG3QITQQ2ODAOWB5TTQSDJ53XK3SHBEIFNK4AYJ5RKAX2UNSCAPHA5M";
  static final String KVREDIS = "VAZVC4RX54J2NVCMCW7BPCAHGGG5XZXDBXFUMDUXGESTMQEJLC3YVZWB";

  /** PROTOCOL.md §12.3: the kvcounter ↔ redis link of the OTP e2e test. */
  static final String E2E_ACTOR = "MCFMFDWFHGKELOXPCNCDXKK5OFLHBVEWRAOXR5JSQUD2TOFRE3DFPM7E";

  static final String E2E_LINK_ID =
      "124AD321267D17B4C40AC52B13C4D8EA9D21D69C7F1EB17E136E067D0F93EF71";
  static final String ECHO_REF = "wasmcloud.azurecr.io/echo:0.3.1";
  static final String ECHO_REF_KEY = "REFMAP_d2FzbWNsb3VkLmF6dXJlY3IuaW8vZWNobzowLjMuMQ";
}
