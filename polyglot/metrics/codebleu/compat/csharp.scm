; codebleu 0.7.0, DFG_csharp, as captures. Compat mode only.

; Comments are stripped before parsing by the package's regex (strip.toml).

; --- dataflow -------------------------------------------------------------------
; x = y + z;    x += y;
(assignment_expression left: (_) @flow.target right: (_) @flow.value) @flow.assign
; int x = y;    int x;    The walker expects exactly two children (name, value); with
; today's and its own grammar an initialised declarator has three, so it records the
; name alone and never reads the value: reproduced by capturing no value.
(variable_declarator name: (_) @flow.target) @flow.define
; i++
(postfix_unary_expression) @flow.update
; if (c) a; else b;     `else` and what follows start from the state before the `if`
(if_statement) @flow.branch
(if_statement "else" @flow.alternative @flow.else alternative: (_) @flow.alternative)
; foreach (var v in xs) body: the walker looks for `for_each_statement`, a type no C#
; grammar has, so a foreach is ordinary code to it: not captured.
; while (c) body
(while_statement) @flow.loop
