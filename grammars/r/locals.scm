; R: scopes, definitions and references, and how values flow between them.
; Every pattern shows the source it matches; tests/grammars/r/ checks each one.

; ---- scopes --------------------------------------------------------------------
; function(xs) { ... }     (braces do not open a scope in R; functions do)
[
  (program)
  (function_definition)
] @local.scope

; ---- definitions ---------------------------------------------------------------
; function(xs, k = 2)
(parameter name: (identifier) @local.definition.parameter)
; total <- 0    y = k    0 -> z
(binary_operator lhs: (identifier) @local.definition.variable operator: ["<-" "=" "<<-"])
(binary_operator operator: ["->" "->>"] rhs: (identifier) @local.definition.variable)
; for (x in xs) ...
(for_statement variable: (identifier) @local.definition.variable)

; ---- neither -------------------------------------------------------------------
; df$col    f(n = 3)
(extract_operator rhs: (identifier) @local.ignore)
(argument name: (identifier) @local.ignore)

; ---- references ----------------------------------------------------------------
; total + x
(identifier) @local.reference

; ---- flow ----------------------------------------------------------------------
; total <- total + x    y = k
(binary_operator lhs: (_) @flow.target operator: ["<-" "=" "<<-"] rhs: (_) @flow.value) @flow.assign
; 0 -> z
(binary_operator lhs: (_) @flow.value operator: ["->" "->>"] rhs: (_) @flow.target) @flow.assign
; function(k = 2)
(parameter name: (_) @flow.target default: (_) @flow.value) @flow.define
; if (c) { ... } else { ... }
(if_statement) @flow.branch
(if_statement alternative: (_) @flow.alternative @flow.else)
; for (x in xs) { ... }
(for_statement variable: (_) @flow.target sequence: (_) @flow.value body: (_) @flow.body) @flow.loop
; while (c) { ... }    repeat { ... }
(while_statement) @flow.loop
(repeat_statement) @flow.loop
