;; Operation "Bomb" grows memory until the host refuses, then traps; others answer "ok".
(module
  (import "wasmbus" "__guest_request" (func $req (param i32 i32)))
  (import "wasmbus" "__guest_response" (func $resp (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 2048) "ok")
  (func (export "__guest_call") (param $op i32) (param $len i32) (result i32)
    (call $req (i32.const 0) (i32.const 1024))
    (if (i32.eq (i32.load8_u (i32.const 0)) (i32.const 66)) ;; 'B'
      (then
        (loop $grow
          (br_if $grow (i32.ne (memory.grow (i32.const 8)) (i32.const -1))))
        unreachable))
    (if (i32.eq (i32.load8_u (i32.const 0)) (i32.const 71)) ;; 'G': grow 40 pages and succeed
      (then (drop (memory.grow (i32.const 40)))))
    (call $resp (i32.const 2048) (i32.const 2))
    (i32.const 1)))
