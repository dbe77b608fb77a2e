//! logger actor (wasmcloud:httpserver + wasmcloud:builtin:logging +
//! wasmcloud:builtin:numbergen), modelled on wasmCloud's randogenlogger.
//!
//! HttpServer.HandleRequest: four `Logging.WriteLog` calls (debug "a debug!", info "an info!",
//! warn "a warn!", error "an error!"), then `NumberGen.GenerateGuid` (empty → str),
//! `NumberGen.Random32` (empty → uint) and `NumberGen.RandomInRange {min:0,max:100}` (→ uint),
//! all with binding `default`. Responds 200 with
//! `{"guid":"...","random32":N,"in_range":M}`; the first host error stops the sequence and
//! gives 500 with the error text (verbatim) as body.

use wasmbus_guest::httpserver::{HttpRequest, HttpResponse};
use wasmbus_guest::util::push_json_str;
use wasmbus_guest::{decode, encode, logging, numbergen, RpcError, RpcResult};

wasmbus_guest::actor!(services: ["HttpServer"], handler: handle);

fn handle(service: &str, method: &str, msg: &[u8]) -> RpcResult<Vec<u8>> {
    match method {
        "HandleRequest" => {
            let _req: HttpRequest = decode(msg, "HttpRequest")?;
            let resp = match run() {
                Ok(body) => HttpResponse::new(200, body),
                Err(e) => HttpResponse::new(500, e),
            };
            encode(&resp)
        }
        _ => Err(RpcError::not_handled(service, method)),
    }
}

fn run() -> Result<String, String> {
    logging::debug("a debug!")?;
    logging::info("an info!")?;
    logging::warn("a warn!")?;
    logging::error("an error!")?;
    let guid = numbergen::generate_guid()?;
    let random32 = numbergen::random_32()?;
    let in_range = numbergen::random_in_range(0, 100)?;
    let mut json = String::from("{\"guid\":");
    push_json_str(&mut json, &guid);
    json.push_str(&format!(",\"random32\":{},\"in_range\":{}}}", random32, in_range));
    Ok(json)
}
