; codebleu 0.7.0 runs its C# walker (DFG_csharp) on C code. Compat mode only.
; Under that walker C declarations (`int x = y;`) make no edge, `i++` is an ordinary
; expression, a `for` is walked once, and an `else` branch continues from the `then`
; branch's state: all reproduced here by *not* capturing those constructs.

; Comments are stripped before parsing by the package's regex (strip.toml).

; --- dataflow -------------------------------------------------------------------
; x = y + z;    x += y;
(assignment_expression left: (_) @flow.target right: (_) @flow.value) @flow.assign
; if (c) a; else b;     (an else clause only stops the pre-`if` state being merged)
(if_statement) @flow.branch
(if_statement alternative: (else_clause) @flow.else)
; while (c) body
(while_statement) @flow.loop
