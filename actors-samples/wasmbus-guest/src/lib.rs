//! Minimal guest shim for the wasmbus actor ABI (the waPC-shaped ABI used by wasmCloud
//! OTP-era Rust actors), written for Trellis' sample actors.
//!
//! * Host functions are imported from wasm import module `wasmbus`, like real wasmCloud Rust
//!   actors. Only the functions an actor actually uses end up as imports (the linker drops
//!   unreferenced ones), so an actor that never calls out imports just the three
//!   `__guest_*` functions.
//! * [`actor!`] generates the `__guest_call` and `__wasmbus_rpc_version` exports.
//! * [`dispatch`] splits the operation at its last `.`, answers `Actor.HealthRequest`
//!   itself, and reports failures the way wasmbus-rpc does
//!   (`Guest call failed for method <op>: <error>`).
//! * The interface modules hold serde structs with the exact msgpack wire names; encode them
//!   with [`encode`] (`rmp_serde::to_vec_named`, i.e. maps keyed by field name).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

mod ffi {
    #[link(wasm_import_module = "wasmbus")]
    extern "C" {
        pub fn __guest_request(op_ptr: *mut u8, msg_ptr: *mut u8);
        pub fn __guest_response(ptr: *const u8, len: usize);
        pub fn __guest_error(ptr: *const u8, len: usize);
        #[allow(clippy::too_many_arguments)]
        pub fn __host_call(
            bd_ptr: *const u8,
            bd_len: usize,
            ns_ptr: *const u8,
            ns_len: usize,
            op_ptr: *const u8,
            op_len: usize,
            ptr: *const u8,
            len: usize,
        ) -> usize;
        pub fn __host_response_len() -> usize;
        pub fn __host_response(ptr: *mut u8);
        pub fn __host_error_len() -> usize;
        pub fn __host_error(ptr: *mut u8);
    }
}

/// Errors a handler can return. `Display` renders them like wasmbus-rpc's `RpcError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RpcError {
    /// Unknown service or method. Text after `method not handled `.
    MethodNotHandled(String),
    /// Payload could not be decoded.
    Deser(String),
    /// Result could not be encoded.
    Ser(String),
    /// A `__host_call` failed; the text is the host's error string.
    HostError(String),
    /// Anything else, rendered verbatim.
    Other(String),
}

impl RpcError {
    /// `method not handled Service::Method`, as wasmbus-rpc reports an unknown method of a
    /// known service.
    pub fn not_handled(service: &str, method: &str) -> RpcError {
        RpcError::MethodNotHandled(format!("{}::{}", service, method))
    }
}

impl fmt::Display for RpcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RpcError::MethodNotHandled(s) => write!(f, "method not handled {}", s),
            RpcError::Deser(s) => write!(f, "deserialization: {}", s),
            RpcError::Ser(s) => write!(f, "serialization: {}", s),
            RpcError::HostError(s) => write!(f, "Host send error {}", s),
            RpcError::Other(s) => f.write_str(s),
        }
    }
}

pub type RpcResult<T> = Result<T, RpcError>;

/// An actor's request handler: `(service, method, payload) -> response bytes`.
/// `service` is one of the services the actor declared in [`actor!`].
pub type Handler = fn(&str, &str, &[u8]) -> RpcResult<Vec<u8>>;

/// Generates the actor's exports:
/// `__guest_call(op_len, msg_len) -> i32` and `__wasmbus_rpc_version() -> i32` (= 1).
///
/// ```ignore
/// wasmbus_guest::actor!(services: ["HttpServer"], handler: handle);
/// ```
#[macro_export]
macro_rules! actor {
    (services: [$($svc:expr),* $(,)?], handler: $handler:path $(,)?) => {
        #[no_mangle]
        pub extern "C" fn __guest_call(op_len: i32, msg_len: i32) -> i32 {
            $crate::dispatch(op_len, msg_len, &[$($svc),*], $handler)
        }

        #[no_mangle]
        pub extern "C" fn __wasmbus_rpc_version() -> i32 {
            1
        }
    };
}

/// Body of `__guest_call`: fetch the request with `__guest_request`, route it, and report the
/// result with `__guest_response` (returns 1) or `__guest_error` (returns 0).
pub fn dispatch(op_len: i32, msg_len: i32, services: &[&str], handler: Handler) -> i32 {
    let mut op = vec![0u8; op_len as u32 as usize];
    let mut msg = vec![0u8; msg_len as u32 as usize];
    unsafe { ffi::__guest_request(op.as_mut_ptr(), msg.as_mut_ptr()) };
    let op = String::from_utf8_lossy(&op).into_owned();
    match route(&op, &msg, services, handler) {
        Ok(resp) => {
            unsafe { ffi::__guest_response(resp.as_ptr(), resp.len()) };
            1
        }
        Err(e) => {
            let text = format!("Guest call failed for method {}: {}", op, e);
            unsafe { ffi::__guest_error(text.as_ptr(), text.len()) };
            0
        }
    }
}

fn route(op: &str, msg: &[u8], services: &[&str], handler: Handler) -> RpcResult<Vec<u8>> {
    let (service, method) = match op.rfind('.') {
        Some(i) => (&op[..i], &op[i + 1..]),
        None => return Err(RpcError::MethodNotHandled(format!("{} - unknown method", op))),
    };
    if service == "Actor" {
        return match method {
            // The request is an empty map; its content is irrelevant.
            "HealthRequest" => encode(&actor::HealthCheckResponse {
                healthy: true,
                message: None,
            }),
            _ => Err(RpcError::not_handled(service, method)),
        };
    }
    if !services.contains(&service) {
        return Err(RpcError::MethodNotHandled(format!("{} - unknown method", op)));
    }
    handler(service, method, msg)
}

/// `__host_call(binding, namespace, operation, payload)`. `Ok(response bytes)` when the host
/// returned 1, otherwise `Err(host error text)`.
pub fn host_call(
    binding: &str,
    namespace: &str,
    operation: &str,
    payload: &[u8],
) -> Result<Vec<u8>, String> {
    unsafe {
        let rc = ffi::__host_call(
            binding.as_ptr(),
            binding.len(),
            namespace.as_ptr(),
            namespace.len(),
            operation.as_ptr(),
            operation.len(),
            payload.as_ptr(),
            payload.len(),
        );
        if rc == 1 {
            let mut buf = vec![0u8; ffi::__host_response_len()];
            ffi::__host_response(buf.as_mut_ptr());
            Ok(buf)
        } else {
            let mut buf = vec![0u8; ffi::__host_error_len()];
            ffi::__host_error(buf.as_mut_ptr());
            Err(String::from_utf8_lossy(&buf).into_owned())
        }
    }
}

/// msgpack-encode with named struct fields (`rmp_serde::to_vec_named`).
pub fn encode<T: Serialize + ?Sized>(value: &T) -> RpcResult<Vec<u8>> {
    rmp_serde::to_vec_named(value).map_err(|e| RpcError::Ser(e.to_string()))
}

/// msgpack-decode; errors read like wasmbus-rpc's
/// `deserialization: 'HttpRequest': deserialization: <serde message>`.
pub fn decode<T: DeserializeOwned>(msg: &[u8], type_name: &str) -> RpcResult<T> {
    rmp_serde::from_slice(msg)
        .map_err(|e| RpcError::Deser(format!("'{}': deserialization: {}", type_name, e)))
}

/// Header map: name → list of values. A `BTreeMap`, so encoding is deterministic.
pub type HeaderMap = BTreeMap<String, Vec<String>>;

/// `#[serde(with = "wasmbus_guest::bytes")]` for `Vec<u8>` blob fields: serializes as msgpack
/// bin; deserializes bin, str, an array of u8, or nil (→ empty), like wasmbus-rpc's lenient
/// serde_bytes handling.
pub mod bytes {
    use serde::de::{self, SeqAccess, Visitor};
    use serde::{Deserializer, Serializer};
    use std::fmt;

    pub fn serialize<T, S>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
    where
        T: AsRef<[u8]> + ?Sized,
        S: Serializer,
    {
        serializer.serialize_bytes(value.as_ref())
    }

    pub fn deserialize<'de, D>(deserializer: D) -> Result<Vec<u8>, D::Error>
    where
        D: Deserializer<'de>,
    {
        deserializer.deserialize_byte_buf(BytesVisitor)
    }

    struct BytesVisitor;

    impl<'de> Visitor<'de> for BytesVisitor {
        type Value = Vec<u8>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("bytes or string")
        }
        fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
            Ok(v.to_vec())
        }
        fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
            Ok(v)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<u8>, E> {
            Ok(v.as_bytes().to_vec())
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Vec<u8>, E> {
            Ok(v.into_bytes())
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<u8>, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Vec<u8>, E> {
            Ok(Vec::new())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(b) = seq.next_element::<u8>()? {
                out.push(b);
            }
            Ok(out)
        }
    }
}

/// Service `Actor` (answered by [`dispatch`] itself).
pub mod actor {
    use super::*;

    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct HealthCheckRequest {}

    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub struct HealthCheckResponse {
        #[serde(default)]
        pub healthy: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub message: Option<String>,
    }
}

/// `wasmcloud:httpserver` (provider → actor, `HttpServer.HandleRequest`).
pub mod httpserver {
    use super::*;

    pub const CONTRACT_ID: &str = "wasmcloud:httpserver";

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct HttpRequest {
        #[serde(default)]
        pub method: String,
        #[serde(default)]
        pub path: String,
        #[serde(rename = "queryString", default)]
        pub query_string: String,
        /// Required on decode, like the real echo actor.
        pub header: HeaderMap,
        #[serde(default, with = "crate::bytes")]
        pub body: Vec<u8>,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct HttpResponse {
        #[serde(rename = "statusCode")]
        pub status_code: u16,
        #[serde(default)]
        pub header: HeaderMap,
        #[serde(default, with = "crate::bytes")]
        pub body: Vec<u8>,
    }

    impl Default for HttpResponse {
        fn default() -> Self {
            HttpResponse {
                status_code: 200,
                header: HeaderMap::new(),
                body: Vec::new(),
            }
        }
    }

    impl HttpResponse {
        /// Response with the given status, no headers and the given body.
        pub fn new(status_code: u16, body: impl Into<Vec<u8>>) -> Self {
            HttpResponse {
                status_code,
                header: HeaderMap::new(),
                body: body.into(),
            }
        }
    }
}

/// `wasmcloud:httpclient` (actor → provider, `HttpClient.Request`).
pub mod httpclient {
    use super::*;

    pub const CONTRACT_ID: &str = "wasmcloud:httpclient";

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct HttpRequest {
        #[serde(default)]
        pub method: String,
        #[serde(default)]
        pub url: String,
        /// Note: `headers` here, `header` in the response.
        #[serde(default)]
        pub headers: HeaderMap,
        #[serde(default, with = "crate::bytes")]
        pub body: Vec<u8>,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct HttpResponse {
        #[serde(rename = "statusCode")]
        pub status_code: u16,
        #[serde(default)]
        pub header: HeaderMap,
        #[serde(default, with = "crate::bytes")]
        pub body: Vec<u8>,
    }
}

/// `wasmcloud:keyvalue` (only what the samples use).
pub mod keyvalue {
    use super::*;

    pub const CONTRACT_ID: &str = "wasmcloud:keyvalue";

    /// `KeyValue.Increment` input; the reply is a bare msgpack integer.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct IncrementRequest {
        pub key: String,
        pub value: i32,
    }
}

/// `wasmcloud:messaging`.
pub mod messaging {
    use super::*;

    pub const CONTRACT_ID: &str = "wasmcloud:messaging";

    /// `Messaging.Publish` input (`replyTo` omitted when `None`).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct PubMessage {
        pub subject: String,
        #[serde(rename = "replyTo", default, skip_serializing_if = "Option::is_none")]
        pub reply_to: Option<String>,
        #[serde(default, with = "crate::bytes")]
        pub body: Vec<u8>,
    }

    /// `MessageSubscriber.HandleMessage` input.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct SubMessage {
        pub subject: String,
        #[serde(rename = "replyTo", default, skip_serializing_if = "Option::is_none")]
        pub reply_to: Option<String>,
        #[serde(default, with = "crate::bytes")]
        pub body: Vec<u8>,
    }
}

/// Builtin `wasmcloud:builtin:logging` (`Logging.WriteLog`, binding `default`).
pub mod logging {
    use super::*;

    pub const CONTRACT_ID: &str = "wasmcloud:builtin:logging";

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct LogEntry {
        pub level: String,
        pub text: String,
    }

    /// `Logging.WriteLog {level, text}`; the reply is empty. `Err` carries the host error text.
    pub fn write_log(level: &str, text: &str) -> Result<(), String> {
        let payload = encode(&LogEntry {
            level: level.to_string(),
            text: text.to_string(),
        })
        .map_err(|e| e.to_string())?;
        host_call("default", CONTRACT_ID, "Logging.WriteLog", &payload).map(|_| ())
    }

    pub fn debug(text: &str) -> Result<(), String> {
        write_log("debug", text)
    }
    pub fn info(text: &str) -> Result<(), String> {
        write_log("info", text)
    }
    pub fn warn(text: &str) -> Result<(), String> {
        write_log("warn", text)
    }
    pub fn error(text: &str) -> Result<(), String> {
        write_log("error", text)
    }
}

/// Builtin `wasmcloud:builtin:numbergen` (binding `default`).
pub mod numbergen {
    use super::*;

    pub const CONTRACT_ID: &str = "wasmcloud:builtin:numbergen";

    /// `NumberGen.RandomInRange` input.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct RangeLimit {
        pub min: u32,
        pub max: u32,
    }

    fn call<T: DeserializeOwned>(op: &str, payload: &[u8], type_name: &str) -> Result<T, String> {
        let resp = host_call("default", CONTRACT_ID, op, payload)?;
        decode(&resp, type_name).map_err(|e| e.to_string())
    }

    /// `NumberGen.GenerateGuid` (empty payload) → msgpack str.
    pub fn generate_guid() -> Result<String, String> {
        call("NumberGen.GenerateGuid", &[], "String")
    }

    /// `NumberGen.Random32` (empty payload) → msgpack uint.
    pub fn random_32() -> Result<u32, String> {
        call("NumberGen.Random32", &[], "u32")
    }

    /// `NumberGen.RandomInRange {min, max}` → msgpack uint.
    pub fn random_in_range(min: u32, max: u32) -> Result<u32, String> {
        let payload = encode(&RangeLimit { min, max }).map_err(|e| e.to_string())?;
        call("NumberGen.RandomInRange", &payload, "u32")
    }
}

/// Small helpers the samples share (no serde_json / url crates needed).
pub mod util {
    /// Value of the first `name=value` pair in an `application/x-www-form-urlencoded` query
    /// string (`+` → space, `%XX` decoded, invalid UTF-8 replaced).
    pub fn query_param(query: &str, name: &str) -> Option<String> {
        query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| match pair.find('=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, ""),
            })
            .find(|(k, _)| form_decode(k) == name)
            .map(|(_, v)| form_decode(v))
    }

    /// Decode one form-urlencoded component.
    pub fn form_decode(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                    (Some(hi), Some(lo)) => {
                        out.push(hi * 16 + lo);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                },
                c => out.push(c),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    fn hex(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }

    /// Append `s` as a JSON string literal, escaped the way serde_json does it.
    pub fn push_json_str(out: &mut String, s: &str) {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{08}' => out.push_str("\\b"),
                '\u{0c}' => out.push_str("\\f"),
                c if (c as u32) < 0x20 => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.push_str("\\u00");
                    out.push(HEX[(c as usize) >> 4] as char);
                    out.push(HEX[(c as usize) & 0xf] as char);
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }

    /// `{"error":"<text>"}`.
    pub fn json_error(text: &str) -> String {
        let mut s = String::from("{\"error\":");
        push_json_str(&mut s, text);
        s.push('}');
        s
    }
}
