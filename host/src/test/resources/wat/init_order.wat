;; Records the order its init exports run in; __guest_call returns that record, e.g. "VIWS".
(module
  (import "wasmbus" "__guest_response" (func $resp (param i32 i32)))
  (memory (export "memory") 1)
  (global $n (mut i32) (i32.const 0))
  (func $mark (param $c i32)
    (i32.store8 (i32.add (i32.const 100) (global.get $n)) (local.get $c))
    (global.set $n (i32.add (global.get $n) (i32.const 1))))
  (func (export "__wasmbus_rpc_version") (result i32) (call $mark (i32.const 86)) (i32.const 1)) ;; V
  (func (export "_initialize") (call $mark (i32.const 73)))  ;; I
  (func (export "wapc_init") (call $mark (i32.const 87)))    ;; W
  (func (export "_start") (call $mark (i32.const 83)))       ;; S
  (func (export "__guest_call") (param i32 i32) (result i32)
    (call $resp (i32.const 100) (global.get $n))
    (i32.const 1)))
