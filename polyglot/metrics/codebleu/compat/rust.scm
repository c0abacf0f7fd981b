; codebleu 0.7.0, DFG_rust, as captures. Compat mode only.
; The walker treats a function as a declaration whose "name" is its second child and
; whose "value" is its third -- the parameters -- and never walks the body; `let` is
; not among its assignments. Reproduced as such.

; Comments are stripped before parsing by the package's regex (strip.toml).

; --- dataflow -------------------------------------------------------------------
; x = y;
(assignment_expression left: (_) @flow.target right: (_) @flow.value) @flow.assign
; x += y;
(compound_assignment_expr left: (_) @flow.target right: (_) @flow.value) @flow.assign
; fn f(a: i32) -> i32 { ... }       name `f`, value the parameters
(function_item . "fn" . name: (_) @flow.target . (_) @flow.value) @flow.define
; pub fn f(a: i32) { ... }          name the `fn` token, value `f`
(function_item . (_) . "fn" @flow.target . name: (_) @flow.value) @flow.define
; if c { a } else { b }    match x { ... }
[(if_expression) (match_expression)] @flow.branch
(if_expression alternative: (else_clause) @flow.else)
; while c { ... }    loop { ... }
[(while_expression) (loop_expression)] @flow.loop
