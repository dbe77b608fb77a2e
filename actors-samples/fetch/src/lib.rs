//! fetch actor (wasmcloud:httpserver + wasmcloud:httpclient).
//!
//! HttpServer.HandleRequest with query `url=<percent-encoded URL>`: host call `default` /
//! `wasmcloud:httpclient` / `HttpClient.Request` with
//! `{method: "GET", url, headers: {}, body: <empty bin>}`. The reply is an httpclient
//! HttpResponse → 200 with body `{"status":<statusCode>,"length":<body length>}`.
//! Missing/empty `url` → 400 `{"error":"missing url query parameter"}`;
//! host error (or undecodable reply) → 502 `{"error":"<text>"}`.

use wasmbus_guest::httpserver::{HttpRequest, HttpResponse};
use wasmbus_guest::util::{json_error, query_param};
use wasmbus_guest::{decode, encode, host_call, httpclient, HeaderMap, RpcError, RpcResult};

wasmbus_guest::actor!(services: ["HttpServer"], handler: handle);

fn handle(service: &str, method: &str, msg: &[u8]) -> RpcResult<Vec<u8>> {
    match method {
        "HandleRequest" => {
            let req: HttpRequest = decode(msg, "HttpRequest")?;
            encode(&handle_request(&req)?)
        }
        _ => Err(RpcError::not_handled(service, method)),
    }
}

fn handle_request(req: &HttpRequest) -> RpcResult<HttpResponse> {
    let url = match query_param(&req.query_string, "url") {
        Some(u) if !u.is_empty() => u,
        _ => return Ok(HttpResponse::new(400, json_error("missing url query parameter"))),
    };
    let payload = encode(&httpclient::HttpRequest {
        method: "GET".to_string(),
        url,
        headers: HeaderMap::new(),
        body: Vec::new(),
    })?;
    let resp = match host_call("default", httpclient::CONTRACT_ID, "HttpClient.Request", &payload) {
        Ok(reply) => match decode::<httpclient::HttpResponse>(&reply, "HttpResponse") {
            Ok(r) => HttpResponse::new(
                200,
                format!("{{\"status\":{},\"length\":{}}}", r.status_code, r.body.len()),
            ),
            Err(e) => HttpResponse::new(502, json_error(&e.to_string())),
        },
        Err(e) => HttpResponse::new(502, json_error(&e)),
    };
    Ok(resp)
}
