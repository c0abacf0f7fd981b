; OCaml: scopes, definitions and references, and how values flow between them.
; Every pattern shows the source it matches; tests/grammars/ocaml/ checks each one.

; ---- scopes --------------------------------------------------------------------
; let f x = ...    fun x -> ...    let y = 1 in ...    for i = 0 to n do ... done
[
  (compilation_unit)
  (let_binding)
  (let_expression)
  (fun_expression)
  (function_expression)
  (for_expression)
  (match_case)
] @local.scope

; ---- definitions ---------------------------------------------------------------
; let sum_even xs = ...    let total = ref 0    (the name lives in the enclosing scope)
((let_binding pattern: (value_name) @local.definition.variable)
  (#set! definition.scope "parent"))
; let f x = ...    fun x -> ...      (tuples: see tuple_pattern below)
(parameter pattern: (value_pattern) @local.definition.parameter)
; for i = 0 to 3 do ... done
(for_expression name: (value_pattern) @local.definition.variable)
; match xs with y :: rest -> ...    let (a, b) = pair in ...    let f (x, y) = ...
(match_case pattern: (value_pattern) @local.definition.variable)
(cons_pattern (value_pattern) @local.definition.variable)
(tuple_pattern (value_pattern) @local.definition.variable)

; ---- references ----------------------------------------------------------------
; total := !total + x      (a qualified List.iter is a module path, not a variable)
(value_path . (value_name) @local.reference .)

; ---- flow ----------------------------------------------------------------------
; let z = x + 1 in ...
(let_binding pattern: (_) @flow.target body: (_) @flow.value) @flow.define
; total := !total + x
((infix_expression left: (_) @flow.target operator: (assign_operator) right: (_) @flow.value) @flow.update)
; if c then a else b
(if_expression) @flow.branch
(if_expression (else_clause) @flow.alternative @flow.else)
; match v with A -> a | B -> b
(match_expression) @flow.branch
(match_expression (match_case) @flow.alternative)
; for i = 0 to n do ... done    while c do ... done
(for_expression) @flow.loop
(while_expression) @flow.loop
