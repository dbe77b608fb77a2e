// Echo actor (wasmcloud:httpserver). This file is also compiled, unchanged, as the
// `echo-unprivileged` crate (see ../../echo-unprivileged/src/lib.rs), so it must not use
// inner attributes or `//!` docs.
//
// HttpServer.HandleRequest -> 200, header {}, body = JSON in the real wasmCloud echo's format:
// {"body":[<request body bytes>],"method":"GET","path":"/","query_string":""}
// (keys sorted, as serde_json's default map writes them).

use std::fmt::Write;
use wasmbus_guest::httpserver::{HttpRequest, HttpResponse};
use wasmbus_guest::util::push_json_str;
use wasmbus_guest::{decode, encode, RpcError, RpcResult};

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
    let mut json = String::with_capacity(64 + req.body.len() * 4);
    json.push_str("{\"body\":[");
    for (i, b) in req.body.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        let _ = write!(json, "{}", b);
    }
    json.push_str("],\"method\":");
    push_json_str(&mut json, &req.method);
    json.push_str(",\"path\":");
    push_json_str(&mut json, &req.path);
    json.push_str(",\"query_string\":");
    push_json_str(&mut json, &req.query_string);
    json.push('}');
    HttpResponse::new(200, json)
}
