//! ponger actor (no capabilities; signed with call alias `wasmcloud/ponger`).
//!
//! Pingpong.Ping (empty payload) → msgpack str "pong" (`a4 70 6f 6e 67`).

use wasmbus_guest::{encode, RpcError, RpcResult};

wasmbus_guest::actor!(services: ["Pingpong"], handler: handle);

fn handle(service: &str, method: &str, _msg: &[u8]) -> RpcResult<Vec<u8>> {
    match method {
        "Ping" => encode("pong"),
        _ => Err(RpcError::not_handled(service, method)),
    }
}
