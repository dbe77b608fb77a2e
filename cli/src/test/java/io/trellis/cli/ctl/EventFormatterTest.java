package io.trellis.cli.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.trellis.ctl.LatticeEventMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventFormatterTest {
  @Test
  void aRefusedLinkNamesTheProviderTheHostTheActorAndWhy() {
    String json =
        """
        {"specversion":"1.0","id":"1","type":"com.wasmcloud.lattice.linkdef_set_failed",
         "source":"NHOST","time":"2026-01-01T00:00:00Z","datacontenttype":"application/json",
         "data":{"id":"x","actor_id":"MACTOR","provider_id":"VPROV","link_name":"eu",
                 "contract_id":"wasmcloud:httpserver","values":{"path":"/v1/*"},
                 "error":"The link of actor MACTOR (path /v1/*) conflicts with ..."}}
        """;
    LatticeEventMessage e =
        LatticeEventMessage.parse(json.getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertEquals(
        "provider VPROV link name 'eu' on host NHOST refused the link of actor MACTOR:"
            + " The link of actor MACTOR (path /v1/*) conflicts with ...",
        EventFormatter.describe(e));
  }
}
