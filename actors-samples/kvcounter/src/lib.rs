//! kvcounter actor (wasmcloud:httpserver + wasmcloud:keyvalue).
//!
//! HttpServer.HandleRequest: key = `counter:` + path with every `/` replaced by `:`,
//! amount = query `amount=N` (default 1). Host call `default` / `wasmcloud:keyvalue` /
//! `KeyValue.Increment` with `{key, value}`; the reply is a msgpack int N → 200 with body
//! `{"counter":N}`. On failure → 500 with body `{"error":"<error>"}`, e.g.
//! `{"error":"Host send error boom"}` (the guest call itself still succeeds).

use wasmbus_guest::httpserver::{HttpRequest, HttpResponse};
use wasmbus_guest::keyvalue::{IncrementRequest, CONTRACT_ID};
use wasmbus_guest::util::{json_error, query_param};
use wasmbus_guest::{decode, encode, host_call, RpcError, RpcResult};

wasmbus_guest::actor!(services: ["HttpServer"], handler: handle);

fn handle(service: &str, method: &str, msg: &[u8]) -> RpcResult<Vec<u8>> {
    match method {
        "HandleRequest" => {
            let req: HttpRequest = decode(msg, "HttpRequest")?;
            encode(&handle_request(&req))
        }
        _ => Err(RpcError::not_handled(service, method)),
    }
}

fn handle_request(req: &HttpRequest) -> HttpResponse {
    let key = format!("counter:{}", req.path.replace('/', ":"));
    let amount = query_param(&req.query_string, "amount")
        .and_then(|v| v.parse::<i32>().ok())
        .unwrap_or(1);
    match increment(key, amount) {
        Ok(n) => HttpResponse::new(200, format!("{{\"counter\":{}}}", n)),
        Err(e) => HttpResponse::new(500, json_error(&e.to_string())),
    }
}

fn increment(key: String, value: i32) -> RpcResult<i32> {
    let payload = encode(&IncrementRequest { key, value })?;
    let reply = host_call("default", CONTRACT_ID, "KeyValue.Increment", &payload)
        .map_err(RpcError::HostError)?;
    decode(&reply, "i32")
}
