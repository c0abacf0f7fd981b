; codebleu 0.7.0, DFG_java, as captures. Compat mode only.

; Comments are stripped before parsing by the package's regex (strip.toml).

; --- dataflow -------------------------------------------------------------------
; x = y + z;    x += y;   (one edge per target token and value token)
(assignment_expression left: (_) @flow.target right: (_) @flow.value) @flow.assign
; int x = y;    int x;
(variable_declarator name: (_) @flow.target value: (_)? @flow.value) @flow.define
; i++
(update_expression) @flow.update
; if (c) a; else b;     everything from `else` on starts from the state before the `if`
(if_statement) @flow.branch
(if_statement "else" @flow.alternative @flow.else alternative: (_) @flow.alternative)
; for (int i = 0; i < n; i++) body    the second pass starts after the declaration
(for_statement init: (local_variable_declaration) @flow.once) @flow.loop
; for (int v : xs) body
(enhanced_for_statement name: (_) @flow.target value: (_) @flow.value body: (_) @flow.body) @flow.loop
; while (c) body
(while_statement) @flow.loop
