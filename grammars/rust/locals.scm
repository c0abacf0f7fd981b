; Rust: scopes, definitions and references, and how values flow between them.
; Every pattern shows the source it matches; tests/grammars/rust/ checks each one.

; ---- scopes --------------------------------------------------------------------
; fn f() { ... }    { ... }    |x| x + 1    for x in xs { ... }    Some(v) => ...
[
  (source_file)
  (function_item)
  (block)
  (closure_expression)
  (for_expression)
  (match_arm)
  (impl_item)
] @local.scope

; ---- definitions ---------------------------------------------------------------
; fn area(r: f64) -> f64 { ... }    (the name lives in the enclosing scope)
((function_item name: (identifier) @local.definition.function)
  (#set! definition.scope "parent"))
; struct P { x: i32 }    enum Shape { ... }
(struct_item name: (type_identifier) @local.definition.type)
(enum_item name: (type_identifier) @local.definition.type)
; fn f(a: i32, mut b: i32)
(parameter pattern: (identifier) @local.definition.parameter)
; |x, y| x + y
(closure_parameters (identifier) @local.definition.parameter)
; let x = 1;    let mut y = 2;    let (a, b) = pair;
(let_declaration pattern: (identifier) @local.definition.variable)
(tuple_pattern (identifier) @local.definition.variable)
; let (mut a, b) = pair;
(mut_pattern (identifier) @local.definition.variable)
; for x in xs { ... }
(for_expression pattern: (identifier) @local.definition.variable)
; Some(v) => v    if let Some(v) = opt { ... }
(tuple_struct_pattern (identifier) @local.definition.variable)

; ---- references ----------------------------------------------------------------
; total + x        (fields are `field_identifier`s, never references)
(identifier) @local.reference

; ---- flow ----------------------------------------------------------------------
; let x = y + 1;
(let_declaration pattern: (_) @flow.target value: (_) @flow.value) @flow.define
; x = y;
(assignment_expression left: (_) @flow.target right: (_) @flow.value) @flow.assign
; total += x;
(compound_assignment_expr left: (_) @flow.target) @flow.update
; if c { ... } else { ... }
(if_expression) @flow.branch
(if_expression alternative: (_) @flow.alternative @flow.else)
; match x { A => ..., B => ... }     each arm starts from the state before the match
(match_expression) @flow.branch
(match_block (match_arm) @flow.alternative)
; for x in xs { ... }
(for_expression pattern: (_) @flow.target value: (_) @flow.value body: (_) @flow.body) @flow.loop
; while c { ... }    loop { ... }
[(while_expression) (loop_expression)] @flow.loop
