;; Loops forever on operation "Spin", echoes the operation name otherwise.
(module
  (import "wasmbus" "__guest_request" (func $req (param i32 i32)))
  (import "wasmbus" "__guest_response" (func $resp (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "__guest_call") (param $op i32) (param $len i32) (result i32)
    (call $req (i32.const 0) (i32.const 1024))
    (if (i32.eq (i32.load8_u (i32.const 0)) (i32.const 83)) ;; 'S'
      (then (loop $forever (br $forever))))
    (call $resp (i32.const 0) (local.get $op))
    (i32.const 1)))
