// Same code as the `echo` actor; only the crate/output name (echo_unprivileged.wasm) and the
// claims differ: this module is signed with NO capability claims, so a host must refuse to
// deliver HttpServer.HandleRequest from the httpserver provider to it.
include!("../../echo/src/lib.rs");
