//! pinger actor (wasmcloud:httpserver).
//!
//! HttpServer.HandleRequest: actor-to-actor host call with binding `""`, namespace
//! `wasmcloud/ponger` (the ponger's call alias), operation `Pingpong.Ping` and an empty (0-byte)
//! payload. The reply is a msgpack str → 200 with body `Ping <reply>` (`Ping pong`).
//! On a host error → 500 with the host's error text (verbatim) as body.

use wasmbus_guest::httpserver::{HttpRequest, HttpResponse};
use wasmbus_guest::{decode, encode, host_call, RpcError, RpcResult};

wasmbus_guest::actor!(services: ["HttpServer"], handler: handle);

fn handle(service: &str, method: &str, msg: &[u8]) -> RpcResult<Vec<u8>> {
    match method {
        "HandleRequest" => {
            let _req: HttpRequest = decode(msg, "HttpRequest")?;
            encode(&ping())
        }
        _ => Err(RpcError::not_handled(service, method)),
    }
}

fn ping() -> HttpResponse {
    match host_call("", "wasmcloud/ponger", "Pingpong.Ping", &[]) {
        Ok(reply) => match decode::<String>(&reply, "String") {
            Ok(text) => HttpResponse::new(200, format!("Ping {}", text)),
            Err(e) => HttpResponse::new(500, e.to_string()),
        },
        Err(e) => HttpResponse::new(500, e),
    }
}
