//! policy actor: a policy server (Trellis docs/PROTOCOL.md section 10.4) that permits only
//! configured issuers, in the manner of wasmCloud's reference policy actor.
//!
//! Runs behind the messaging provider, subscribed to the hosts' policy topic (link value
//! `SUBSCRIPTION`). Each request arrives as MessageSubscriber.HandleMessage with the host's JSON
//! `{requestId, action, source: {issuer, ...}, target: {issuer, ...}, host: {...}}` and a
//! `replyTo`; the answer `{requestId, permitted, message}` is published there with
//! `Messaging.Publish`.
//!
//! Configuration: `KeyValue.Get` of the key `allowed_issuers` through the linked keyvalue
//! provider (default link), a comma-separated list of account keys (`A...`). `start_actor` and
//! `start_provider` are permitted when the target's issuer is listed; `perform_invocation` when
//! the source's (the caller's) issuer is listed. Anything else, an unknown action, an unreadable
//! request or a missing configuration, is denied: a policy server fails closed too.

use serde::{Deserialize, Serialize};
use wasmbus_guest::messaging::{PubMessage, SubMessage};
use wasmbus_guest::{decode, encode, host_call, RpcError, RpcResult};

wasmbus_guest::actor!(services: ["MessageSubscriber"], handler: handle);

/// The key the allowed issuers are read from.
const CONFIG_KEY: &str = "allowed_issuers";

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Party {
    #[serde(default)]
    issuer: Option<String>,
    #[serde(default)]
    public_key: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Request {
    request_id: String,
    action: String,
    #[serde(default)]
    source: Party,
    #[serde(default)]
    target: Party,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Decision {
    request_id: String,
    permitted: bool,
    message: String,
}

/// `KeyValue.Get` output.
#[derive(Deserialize)]
struct GetResponse {
    #[serde(default)]
    value: String,
    #[serde(default)]
    exists: bool,
}

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
        // a publish without a reply subject (a policy change, say) is nobody's question
        _ => return Ok(()),
    };
    let decision = match serde_json::from_slice::<Request>(&msg.body) {
        Ok(req) => decide(&req),
        Err(e) => Decision {
            request_id: String::new(),
            permitted: false,
            message: format!("unreadable policy request: {}", e),
        },
    };
    let body = serde_json::to_vec(&decision).map_err(|e| RpcError::Ser(e.to_string()))?;
    let payload = encode(&PubMessage {
        subject: reply_to,
        reply_to: None,
        body,
    })?;
    host_call(
        "default",
        wasmbus_guest::messaging::CONTRACT_ID,
        "Messaging.Publish",
        &payload,
    )
    .map_err(RpcError::HostError)?;
    Ok(())
}

fn decide(req: &Request) -> Decision {
    let deny = |message: String| Decision {
        request_id: req.request_id.clone(),
        permitted: false,
        message,
    };
    let (who, party) = match req.action.as_str() {
        "start_actor" | "start_provider" => ("target", &req.target),
        "perform_invocation" => ("source", &req.source),
        other => return deny(format!("unknown action '{}'", other)),
    };
    let allowed = match allowed_issuers() {
        Ok(list) => list,
        Err(e) => return deny(e),
    };
    let issuer = party.issuer.clone().unwrap_or_default();
    let key = party.public_key.clone().unwrap_or_default();
    if !issuer.is_empty() && allowed.iter().any(|a| a == &issuer) {
        Decision {
            request_id: req.request_id.clone(),
            permitted: true,
            message: format!("{} issuer {} is allowed", who, issuer),
        }
    } else {
        deny(format!(
            "{} {} is signed by issuer '{}', which is not among the allowed issuers",
            who, key, issuer
        ))
    }
}

/// The allowed issuers from the linked keyvalue provider; an error text when there are none.
fn allowed_issuers() -> Result<Vec<String>, String> {
    let key = encode(CONFIG_KEY).map_err(|e| e.to_string())?;
    let reply = host_call(
        "default",
        "wasmcloud:keyvalue",
        "KeyValue.Get",
        &key,
    )
    .map_err(|e| format!("cannot read the policy configuration: {}", e))?;
    let got: GetResponse = decode(&reply, "GetResponse").map_err(|e| e.to_string())?;
    let list: Vec<String> = got
        .value
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if !got.exists || list.is_empty() {
        return Err(format!(
            "no allowed issuers configured (set '{}' in the policy key-value bucket)",
            CONFIG_KEY
        ));
    }
    Ok(list)
}
