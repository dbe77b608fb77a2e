;; wapc_init never returns: instance creation must be bounded by the call timeout.
(module
  (import "wasmbus" "__guest_response" (func $resp (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "wapc_init") (loop $forever (br $forever)))
  (func (export "__guest_call") (param i32 i32) (result i32)
    (i32.const 1)))
