; codebleu 0.7.0, DFG_php, as captures. Compat mode only.
; PHP names are `name` nodes, not `identifier`s, so a first sight never defines one:
; only assignments and parameters do.

; Comments are stripped before parsing by the package's regex (strip.toml).

; --- dataflow -------------------------------------------------------------------
; $x = $y + $z;
(assignment_expression left: (_) @flow.target right: (_) @flow.value) @flow.assign
; $x += $y;
(augmented_assignment_expression left: (_) @flow.target right: (_) @flow.value) @flow.assign
; function f($a, $b = 1)
(simple_parameter name: (_) @flow.target default_value: (_)? @flow.value) @flow.define
; $i++
(update_expression) @flow.update
; if (c) { } elseif (d) { } else { }    the state before the `if` is always kept
((if_statement) @flow.branch (#set! flow.keep "always"))
(if_statement alternative: (else_clause) @flow.alternative)
; for ($i = 0; $i < $n; $i++) body     the second pass starts after the first assignment
(for_statement (assignment_expression) @flow.once) @flow.loop
; foreach ($xs as $x) body
(foreach_statement . (variable_name) @flow.value . (variable_name) @flow.target
  body: (_) @flow.body) @flow.loop
; while (c) body
(while_statement) @flow.loop
