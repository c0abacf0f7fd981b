; Lua: scopes, definitions and references, and how values flow between them.
; Every pattern shows the source it matches; tests/grammars/lua/ checks each one.

; ---- scopes --------------------------------------------------------------------
; function f() ... end    do ... end    for i = 1, 3 do ... end    if c then ... end
[
  (chunk)
  (function_declaration)
  (function_definition)
  (do_statement)
  (for_statement)
  (while_statement)
  (repeat_statement)
  (if_statement)
  (elseif_statement)
  (else_statement)
] @local.scope

; ---- definitions ---------------------------------------------------------------
; local function sum(xs) ... end      (the name lives in the enclosing scope)
((function_declaration name: (identifier) @local.definition.function)
  (#set! definition.scope "parent"))
; function f(a, b) ... end
(parameters name: (identifier) @local.definition.parameter)
; local x = 1    local a, b = 1, 2
(variable_declaration (assignment_statement (variable_list name: (identifier) @local.definition.variable)))
(variable_declaration (variable_list name: (identifier) @local.definition.variable))
; for i, x in ipairs(xs) do ... end    for j = 1, 3 do ... end
(for_generic_clause (variable_list name: (identifier) @local.definition.variable))
(for_numeric_clause name: (identifier) @local.definition.variable)

; ---- neither -------------------------------------------------------------------
; point.x    obj:method()
(dot_index_expression field: (identifier) @local.ignore)
(method_index_expression method: (identifier) @local.ignore)

; ---- references ----------------------------------------------------------------
; return total + x
(identifier) @local.reference

; ---- flow ----------------------------------------------------------------------
; x = y + 1    local x = y    a, b = b, a
(assignment_statement (variable_list) @flow.target (expression_list) @flow.value) @flow.assign
; if c then ... elseif d then ... else ... end
(if_statement) @flow.branch
(if_statement alternative: (elseif_statement) @flow.alternative)
(if_statement alternative: (else_statement) @flow.alternative @flow.else)
; for i, x in ipairs(xs) do ... end
(for_statement clause: (for_generic_clause (variable_list) @flow.target (expression_list) @flow.value) body: (_) @flow.body) @flow.loop
; for j = 1, 3 do ... end
(for_statement clause: (for_numeric_clause name: (_) @flow.target start: (_) @flow.value) body: (_) @flow.body) @flow.loop
; while c do ... end    repeat ... until c
(while_statement) @flow.loop
(repeat_statement) @flow.loop
