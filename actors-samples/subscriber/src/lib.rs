//! subscriber actor (wasmcloud:messaging).
//!
//! MessageSubscriber.HandleMessage with a SubMessage `{subject, replyTo?, body}`. When `replyTo`
//! is present and non-empty: host call `default` / `wasmcloud:messaging` / `Messaging.Publish`
//! with `{subject: <replyTo>, body: "reply: " + <body>}` (no `replyTo` key). Returns an empty
//! (0-byte) response. A host error becomes a guest error:
//! `Guest call failed for method MessageSubscriber.HandleMessage: Host send error <text>`.

use wasmbus_guest::messaging::{PubMessage, SubMessage, CONTRACT_ID};
use wasmbus_guest::{decode, encode, host_call, RpcError, RpcResult};

wasmbus_guest::actor!(services: ["MessageSubscriber"], handler: handle);

fn handle(service: &str, method: &str, msg: &[u8]) -> RpcResult<Vec<u8>> {
    match method {
        "HandleMessage" => {
            let msg: SubMessage = decode(msg, "SubMessage")?;
            handle_message(msg)?;
            Ok(Vec::new())
        }
        _ => Err(RpcError::not_handled(service, method)),
    }
}

fn handle_message(msg: SubMessage) -> RpcResult<()> {
    let reply_to = match msg.reply_to {
        Some(r) if !r.is_empty() => r,
        _ => return Ok(()),
    };
    let mut body = b"reply: ".to_vec();
    body.extend_from_slice(&msg.body);
    let payload = encode(&PubMessage {
        subject: reply_to,
        reply_to: None,
        body,
    })?;
    host_call("default", CONTRACT_ID, "Messaging.Publish", &payload).map_err(RpcError::HostError)?;
    Ok(())
}
