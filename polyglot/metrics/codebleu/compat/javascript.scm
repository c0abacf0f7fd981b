; codebleu 0.7.0, DFG_javascript, as captures. Compat mode only.
; A plain `x = y` is not among the walker's assignments, so it makes no edge.

; Comments are stripped before parsing by the package's regex (strip.toml).

; --- the older grammar wrapped a for-loop's condition -----------------------------
; for (let i = 0; i < n; i++)       condition: (expression_statement ...)
(for_statement condition: (_) @compat.wrap.expression_statement)

; --- dataflow -------------------------------------------------------------------
; total += x;
(augmented_assignment_expression left: (_) @flow.target right: (_) @flow.value) @flow.assign
; function f(a = 1) {}    const {x = 1} = o;
(assignment_pattern left: (_) @flow.target right: (_) @flow.value) @flow.assign
; let x = y;    let x;
(variable_declarator name: (_) @flow.target value: (_)? @flow.value) @flow.define
; i++
(update_expression) @flow.update
; if (c) { a } else { b }   the else clause runs in sequence; the state before is kept
((if_statement) @flow.branch (#set! flow.keep "always"))
; for (var i = 0; i < n; i++) body    (only a `var` declaration starts a second pass)
(for_statement initializer: (variable_declaration) @flow.once) @flow.loop
; while (c) body
(while_statement) @flow.loop
