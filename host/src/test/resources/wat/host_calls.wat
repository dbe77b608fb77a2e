;; Makes one host call with binding "default", namespace = the payload, operation "Op.Run",
;; empty payload. On success replies "OK:" + host response; on failure replies "ERR:" + host error,
;; reading lengths first exactly as real guests do (a zero length is valid on both paths).
;; Operation "Fail" returns 0 without a guest error; operation "Err" sets a guest error.
(module
  (import "wasmbus" "__guest_request" (func $req (param i32 i32)))
  (import "wasmbus" "__guest_response" (func $resp (param i32 i32)))
  (import "wasmbus" "__guest_error" (func $gerr (param i32 i32)))
  (import "wasmbus" "__host_call" (func $hc (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasmbus" "__host_response_len" (func $hrl (result i32)))
  (import "wasmbus" "__host_response" (func $hr (param i32)))
  (import "wasmbus" "__host_error_len" (func $hel (result i32)))
  (import "wasmbus" "__host_error" (func $he (param i32)))
  (memory (export "memory") 2)
  (data (i32.const 0) "default")
  (data (i32.const 16) "Op.Run")
  (data (i32.const 32) "OK:")
  (data (i32.const 40) "ERR:")
  (data (i32.const 48) "guest says no")
  (func (export "__guest_call") (param $op i32) (param $len i32) (result i32)
    (local $n i32)
    (call $req (i32.const 1024) (i32.const 2048))
    (if (i32.eq (i32.load8_u (i32.const 1024)) (i32.const 70)) (then (return (i32.const 0)))) ;; 'F'
    (if (i32.eq (i32.load8_u (i32.const 1024)) (i32.const 69))                                  ;; 'E'
      (then (call $gerr (i32.const 48) (i32.const 13)) (return (i32.const 0))))
    (if (i32.eq
          (call $hc (i32.const 0) (i32.const 7) (i32.const 2048) (local.get $len)
                    (i32.const 16) (i32.const 6) (i32.const 0) (i32.const 0))
          (i32.const 1))
      (then
        (local.set $n (call $hrl))
        (i32.store (i32.const 4096) (i32.load (i32.const 32)))
        (call $hr (i32.const 4099))
        (call $resp (i32.const 4096) (i32.add (local.get $n) (i32.const 3))))
      (else
        (local.set $n (call $hel))
        (i32.store (i32.const 4096) (i32.load (i32.const 40)))
        (call $he (i32.const 4100))
        (call $resp (i32.const 4096) (i32.add (local.get $n) (i32.const 4)))))
    (i32.const 1)))
