;; Imports env.abort (as AssemblyScript does). Operation "Abort" calls it; others succeed empty.
(module
  (import "wasmbus" "__guest_request" (func $req (param i32 i32)))
  (import "env" "abort" (func $abort (param i32 i32 i32 i32)))
  (memory (export "memory") 1)
  (func (export "__guest_call") (param $op i32) (param $len i32) (result i32)
    (call $req (i32.const 0) (i32.const 1024))
    (if (i32.eq (i32.load8_u (i32.const 0)) (i32.const 65)) ;; 'A'
      (then (call $abort (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))
    (i32.const 1)))
