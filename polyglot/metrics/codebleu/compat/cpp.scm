; codebleu 0.7.0 runs its C# walker (DFG_csharp) on C++ code too. Compat mode only.
; As for C: declarations make no edge, `i++` and `for` (classic and range) are ordinary
; code, and an `else` branch continues from the `then` branch's state.

; Comments are stripped before parsing by the package's regex (strip.toml).

; --- dataflow -------------------------------------------------------------------
; x = y + z;    x += y;
(assignment_expression left: (_) @flow.target right: (_) @flow.value) @flow.assign
; if (c) a; else b;     (an else clause only stops the pre-`if` state being merged)
(if_statement) @flow.branch
(if_statement alternative: (else_clause) @flow.else)
; while (c) body
(while_statement) @flow.loop

; --- the older grammar named a lambda's parameter list differently ----------------
; [&](int y) { return y + s; }
(lambda_declarator) @compat.rename.abstract_function_declarator
